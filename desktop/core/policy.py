"""Input rules shared by every front end: user names and the password policy."""

from __future__ import annotations

import re
import unicodedata

from desktop.core.errors import InputError
from desktop.core.messages import Term

PASSWORD_MIN = 12
PASSWORD_MAX = 128
_USERNAME = re.compile(r"^[^\s/\\:@\x00-\x1f\x7f][^\s/\\:\x00-\x1f\x7f]{0,62}$")


def require_text(value: str, what: str) -> str:
    """``value`` if it is valid Unicode (no lone surrogates from undecodable input);
    ``what`` is the catalogue code naming it (``"common.what.password"``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("common.text_not_valid", what=Term(what)) from None
    return value


def normalise_username(raw: str) -> str:
    """NFKC-normalised, trimmed user name; raises InputError naming the rule broken."""
    name = unicodedata.normalize("NFKC", require_text(raw, "common.what.user_name")).strip()
    if not _USERNAME.match(name):
        raise InputError("accounts.username_invalid", name=raw)
    return name


def check_password(password: str) -> None:
    """Length rules only (no composition rules); never truncates."""
    require_text(password, "common.what.password")
    length = len(password)
    if length < PASSWORD_MIN:
        raise InputError("accounts.password_too_short", length=length, minimum=PASSWORD_MIN)
    if length > PASSWORD_MAX:
        raise InputError("accounts.password_too_long", length=length, maximum=PASSWORD_MAX)
