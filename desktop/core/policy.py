"""Input rules shared by every front end: user names and the password policy."""

from __future__ import annotations

import re
import unicodedata

from desktop.core.errors import InputError

PASSWORD_MIN = 12
PASSWORD_MAX = 128
_USERNAME = re.compile(r"^[^\s/\\:@\x00-\x1f\x7f][^\s/\\:\x00-\x1f\x7f]{0,62}$")


def require_text(value: str, what: str) -> str:
    """``value`` if it is valid Unicode (no lone surrogates from undecodable input)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"the {what} contains bytes that are not valid text: check the terminal's "
            "encoding (UTF-8) and type it again"
        ) from None
    return value


def normalise_username(raw: str) -> str:
    """NFKC-normalised, trimmed user name; raises InputError naming the rule broken."""
    name = unicodedata.normalize("NFKC", require_text(raw, "user name")).strip()
    if not _USERNAME.match(name):
        raise InputError(
            f"invalid user name {raw!r}: use 1-63 characters without spaces, slashes, "
            "colons or control characters"
        )
    return name


def check_password(password: str) -> None:
    """Length rules only (no composition rules); never truncates."""
    require_text(password, "password")
    length = len(password)
    if length < PASSWORD_MIN:
        raise InputError(
            f"password too short ({length} characters): use at least {PASSWORD_MIN}; "
            "a few unrelated words make a strong one"
        )
    if length > PASSWORD_MAX:
        raise InputError(
            f"password too long ({length} characters): at most {PASSWORD_MAX} are accepted"
        )
