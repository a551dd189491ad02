"""Recovery key text: format, forgiving parsing, checksum."""

from __future__ import annotations

import re

import pytest

from desktop.core.errors import InputError
from desktop.security.recovery import (
    RECOVERY_KEY_BYTES,
    format_recovery_key,
    new_recovery_key,
    parse_recovery_key,
)

KEY = bytes(range(32))
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_new_keys_are_32_random_bytes():
    keys = {new_recovery_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) == RECOVERY_KEY_BYTES == 32 for key in keys)


def test_text_is_14_groups_of_4_unambiguous_symbols():
    text = format_recovery_key(KEY)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}", text)
    assert not set(text) & set("ILOU")


def test_round_trip():
    for _ in range(50):
        key = new_recovery_key()
        assert parse_recovery_key(format_recovery_key(key)) == key


@pytest.mark.parametrize(
    "transform",
    [
        str.lower,
        lambda t: t.replace("-", ""),
        lambda t: t.replace("-", " "),
        lambda t: "  " + t.replace("-", " - ") + "\n",
        lambda t: t.replace("0", "O"),
        lambda t: t.replace("1", "I"),
        lambda t: t.replace("1", "l"),
        lambda t: t.replace("-", "\u3000"),  # ideographic space
        lambda t: "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in t),  # full-width
    ],
)
def test_parsing_forgives_layout_and_lookalikes(transform):
    key = bytes.fromhex("00" * 8 + "11" * 8 + "10" * 16)  # many 0 and 1 symbols
    assert parse_recovery_key(transform(format_recovery_key(key))) == key


def test_every_single_symbol_typo_is_caught():
    text = format_recovery_key(KEY).replace("-", "")
    for position, symbol in enumerate(text):
        for replacement in ALPHABET:
            if replacement == symbol:
                continue
            typo = text[:position] + replacement + text[position + 1 :]
            with pytest.raises(InputError, match=r"mistyped.*check each group"):
                parse_recovery_key(typo)


def test_swapped_neighbours_are_caught():
    text = format_recovery_key(KEY).replace("-", "")
    for i in range(len(text) - 1):
        if text[i] != text[i + 1]:
            swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            with pytest.raises(InputError):
                parse_recovery_key(swapped)


@pytest.mark.parametrize(
    "text",
    ["", "ABCD-EFGH", format_recovery_key(KEY) + "-0000", format_recovery_key(KEY)[:-1]],
)
def test_wrong_length_is_input_error(text):
    with pytest.raises(InputError, match="characters"):
        parse_recovery_key(text)


def test_unused_symbol_names_its_group():
    text = format_recovery_key(KEY)
    with pytest.raises(InputError, match="group 3"):
        parse_recovery_key(text[:10] + "U" + text[11:])


def test_message_is_one_line_and_has_no_key():
    text = format_recovery_key(KEY)
    typo = ("Z" if text[0] != "Z" else "Y") + text[1:]
    with pytest.raises(InputError) as caught:
        parse_recovery_key(typo)
    assert "\n" not in caught.value.message
    assert text[5:9] not in caught.value.message


def test_format_rejects_wrong_size():
    with pytest.raises(ValueError):
        format_recovery_key(b"short")
