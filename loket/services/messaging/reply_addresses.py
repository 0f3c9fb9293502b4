"""The address a club replies to: `loket+LK-2026-000123.<reply token>@<INBOUND_EMAIL_DOMAIN>`.

References are sequential, so a reference alone would let anyone who knows a contact's address write as that
club. The reply token is an HMAC-SHA256 of the reference, keyed by INBOUND_REPLY_SECRET (or, when that is
unset, a key derived from SECRET_KEY): only mail Loket sent carries it. Changing the key ends every reply
address mailed before.

The token is hexadecimal and compared in lower case: some mail systems change the case of an address.
"""
import hashlib
import hmac
import re

from flask import current_app

TOKEN_LENGTH = 24  # hex digits: 96 bits, far beyond guessing at any rate a mail server accepts
LOCAL_PART = "loket"
# loket+<reference><rest>@…: the rest should be ".<token>"; it may be missing (an address from before the
# tokens, or a guess) or wrong, which the caller rejects.
_PLUS_ADDRESS = re.compile(r"\+(LK-\d{4}-\d{6})([^@]*)@", re.IGNORECASE)


def reply_address(reference: str) -> str:
    """The Reply-To of every mail about the request with this reference (the one place it is built)."""
    return f"{LOCAL_PART}+{reference}.{reply_token(reference)}@{current_app.config['INBOUND_EMAIL_DOMAIN']}"


def reply_token(reference: str) -> str:
    digest = hmac.new(_key(), f"reply:{reference.upper()}".encode(), hashlib.sha256).hexdigest()
    return digest[:TOKEN_LENGTH]


def token_matches(reference: str, token: str | None) -> bool:
    """Whether `token` is the reply token of `reference` (compared in constant time)."""
    return bool(token) and hmac.compare_digest(token.lower().encode("utf-8", "replace"),
                                               reply_token(reference).encode())


def parse_reply_address(address: str) -> tuple[str, str | None] | None:
    """(reference, token or None) of a plus-address `loket+LK-…[.token]@…`; None for any other address."""
    match = _PLUS_ADDRESS.search(address)
    if match is None:
        return None
    rest = match.group(2)
    return match.group(1).upper(), (rest[1:] if rest.startswith(".") else rest) or None


def _key() -> bytes:
    secret = current_app.config.get("INBOUND_REPLY_SECRET")
    if secret:
        return secret.encode()
    # One key per purpose: a reply token reveals nothing about the session-signing key it is derived from.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"loket inbound reply token", hashlib.sha256).digest()
