"""Recovery keys: 256 random bits a person can write down and type back.

The text is the key followed by a 24-bit checksum, written in Crockford's base32
(``0-9 A-Z`` without ``I L O U``) as 14 groups of 4 characters joined by ``-``::

    7K3M-Q0ZD-...-W2XH

Parsing forgives what people do when they copy a key by hand: lower case, spaces or no
dashes, and the look-alikes ``O`` for ``0`` and ``I``/``L`` for ``1``. A typo is caught by
the checksum and reported as an :class:`~desktop.core.errors.InputError`, so a mistyped key
is never mistaken for a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from desktop.core.errors import InputError

#: Length of a recovery key in bytes (256 bits).
RECOVERY_KEY_BYTES = 32

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {symbol: index for index, symbol in enumerate(_ALPHABET)}
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CHECKSUM_BYTES = 3
_CHECKSUM_DOMAIN = b"kura recovery key checksum v1\x00"
_BITS = (RECOVERY_KEY_BYTES + _CHECKSUM_BYTES) * 8  # 280 = 56 symbols of 5 bits
_SYMBOLS = _BITS // 5
_GROUP = 4
_IGNORED = frozenset(" -\t\r\n\u3000\u2010\u2011\u2012\u2013\u2014\u2212\uff0d")


def new_recovery_key() -> bytes:
    """Return 32 bytes from the operating system's CSPRNG."""
    return secrets.token_bytes(RECOVERY_KEY_BYTES)


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(_CHECKSUM_DOMAIN + key).digest()[:_CHECKSUM_BYTES]


def format_recovery_key(key: bytes) -> str:
    """Render ``key`` (32 bytes) as the grouped text shown to the user once."""
    if len(key) != RECOVERY_KEY_BYTES:
        raise ValueError("a recovery key is exactly 32 bytes")
    number = int.from_bytes(key + _checksum(key), "big")
    symbols = [
        _ALPHABET[(number >> (5 * (_SYMBOLS - 1 - index))) & 0x1F] for index in range(_SYMBOLS)
    ]
    text = "".join(symbols)
    return "-".join(text[start : start + _GROUP] for start in range(0, _SYMBOLS, _GROUP))


def _normalise(text: str) -> str:
    # Full-width forms (typed through a Japanese IME) fold to ASCII first.
    folded = "".join(
        chr(ord(char) - 0xFEE0) if "\uff01" <= char <= "\uff5e" else char for char in text
    )
    kept = "".join(char for char in folded if char not in _IGNORED)
    return kept.upper().translate(_CONFUSABLES)


def parse_recovery_key(text: str) -> bytes:
    """Return the 32-byte key written in ``text``.

    Raises InputError when the text has the wrong length, a character outside the
    alphabet, or a checksum that does not match (a typo).
    """
    compact = _normalise(text)
    if len(compact) != _SYMBOLS:
        raise InputError(
            "workspace.recovery_key_length",
            count=len(compact),
            expected=_SYMBOLS,
            help_topic="recovery",
        )
    number = 0
    for position, symbol in enumerate(compact, start=1):
        value = _VALUES.get(symbol)
        if value is None:
            group = (position - 1) // _GROUP + 1
            raise InputError(
                "workspace.recovery_key_bad_character", group=group, help_topic="recovery"
            )
        number = (number << 5) | value
    raw = number.to_bytes(RECOVERY_KEY_BYTES + _CHECKSUM_BYTES, "big")
    key, checksum = raw[:RECOVERY_KEY_BYTES], raw[RECOVERY_KEY_BYTES:]
    if not hmac.compare_digest(checksum, _checksum(key)):
        raise InputError("workspace.recovery_key_checksum", help_topic="recovery")
    return key
