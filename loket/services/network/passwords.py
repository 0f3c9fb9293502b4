"""Password hashing with Argon2id (cost parameters from the app config) and the rules a new password meets."""
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from loket.services.text import has_control_characters

# Longer input is refused before hashing: a passphrase fits, a megabyte does not cost a hash.
PASSWORD_MAX = 200
PASSWORD_MIN = 12
# Passwords that are guessed first, whatever their length: common_passwords.txt beside this module (how it was
# assembled is at its top), compared case-insensitively, ignoring spaces.
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# The rule in Dutch, shown beside every field where a new password is chosen (forms and API descriptions).
PASSWORD_RULE = (f"Minstens {PASSWORD_MIN} tekens, niet een van de gangbare wachtwoorden die als eerste geraden "
                 "worden (zoals welkom123456 of qwertyuiop12) en niet je naam of e-mailadres. Een zin van een paar "
                 "woorden is goed te onthouden en moeilijk te raden.")
TOO_COMMON = "Dit wachtwoord is te gangbaar en wordt als eerste geraden. Kies iets dat minder voor de hand ligt."


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


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
    if folded in common_passwords() or len(set(folded)) <= 2:
        return TOO_COMMON
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
