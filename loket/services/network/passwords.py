"""Password hashing with Argon2id (cost parameters from the app config) and the rules a new password meets."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from loket.services.text import has_control_characters

# Longer input is refused before hashing: a passphrase fits, a megabyte does not cost a hash.
PASSWORD_MAX = 200
PASSWORD_MIN = 10
# Passwords that are guessed first, whatever their length: the usual top of every leaked list, in Dutch
# and English, and the name of this service. Compared case-insensitively, ignoring spaces.
COMMON_PASSWORDS = frozenset("""
1234567890 12345678910 0123456789 1111111111 0000000000 1234512345 9876543210 1q2w3e4r5t qwertyuiop
asdfghjkl; zxcvbnm123 qwerty1234 qwerty12345 password12 password123 password1234 passw0rd12 wachtwoord
wachtwoord1 wachtwoord12 wachtwoord123 welkom1234 welkom12345 welkomwelkom welkom2024 welkom2025 welkom2026
voetbal123 voetbal1234 feyenoord1 feyenoord010 ajaxajax12 ajax123456 psv1234567 iloveyou12 letmein123
sunshine12 princess12 football12 football123 baseball12 superman12 trustno1234 abcdefghij abcd123456
abc1234567 aaaaaaaaaa qwertzuiop loket12345 loketloket sportloket sportclub1 sportclub12 vereniging
vereniging1 hockey1234 tennis1234 zwemmen123 nederland1 nederland12 amsterdam1 rotterdam1 utrecht123
""".split())


def password_problem(password: str | None, *, email: str | None = None, name: str | None = None) -> str | None:
    """Why a new password is not good enough (Dutch, naming the rule), or None when it is."""
    password = password or ""
    if len(password) < PASSWORD_MIN:
        return f"Kies een wachtwoord van minstens {PASSWORD_MIN} tekens."
    if len(password) > PASSWORD_MAX:
        return f"Kies een wachtwoord van hooguit {PASSWORD_MAX} tekens."
    if has_control_characters(password):
        return "Een wachtwoord kan geen stuurtekens (zoals een tab of een regeleinde) bevatten."
    folded = "".join(password.split()).casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2:
        return "Dit wachtwoord is te gangbaar en wordt als eerste geraden. Kies iets dat minder voor de hand ligt."
    for own in ((email or "").split("@")[0], name or ""):
        own = "".join(own.split()).casefold()
        if len(own) >= 4 and own in folded and len(folded) - len(own) < 6:
            return "Je wachtwoord lijkt te veel op je naam of e-mailadres. Kies iets anders."
    return None


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=current_app.config["PASSWORD_HASH_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# Verified against when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASH = None


def burn_time_for_unknown_user(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("no-such-user")
    verify_password(_DUMMY_HASH, password)
