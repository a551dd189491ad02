"""ZxcvbnStrength: common and name-based passwords refused, strong ones accepted."""

from __future__ import annotations

import ast
import random
import string
import time
from pathlib import Path

import pytest

from desktop.core.messages import Language, render
from desktop.core.messages.catalogue import CATALOGUE
from desktop.core.ports import PasswordStrength
from desktop.security.strength import REASON_COMMON, WARNINGS, ZxcvbnStrength

WARNING_STARTS = (
    "Straight",
    "Short",
    "Repeats",
    "Sequences",
    "Recent",
    "Dates",
    "This is",
    "A word",
    "Names",
    "Common names",
)


@pytest.fixture(scope="module")
def strength() -> PasswordStrength:
    return ZxcvbnStrength()


@pytest.mark.parametrize("password", ["password", "Password", "password1234", "qwertyuiop123"])
def test_most_common_passwords_are_named_as_such(strength: PasswordStrength, password: str) -> None:
    assert strength.weakness(password, []) == REASON_COMMON


@pytest.mark.parametrize(
    "password",
    ["password1234", "qwertyuiop123", "iloveyou1234", "p@ssw0rd", "123456", "Tr0ub4dour&3"],
)
def test_common_passwords_are_refused(strength: PasswordStrength, password: str) -> None:
    reason = strength.weakness(password, [])
    assert reason in CATALOGUE and reason.startswith("accounts.weak.")
    assert render(reason, {}, Language.EN)[0].islower()
    assert "推測" in render(reason, {}, Language.JA) or "パスワード" in render(
        reason, {}, Language.JA
    )


def test_every_zxcvbn_warning_has_our_words() -> None:
    """zxcvbn's warnings are English only: each one it can give maps to a catalogue
    phrase (an upgrade that adds one fails here instead of showing English)."""
    import zxcvbn.feedback

    source = Path(zxcvbn.feedback.__file__).read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and str(arg.value).startswith(WARNING_STARTS):
                found.add(str(arg.value))
    warnings = {w for w in found if w.rstrip(".").endswith(("guess", '"abc"', "password"))}
    assert warnings and warnings <= set(WARNINGS), sorted(warnings - set(WARNINGS))
    assert all(code in CATALOGUE for code in WARNINGS.values())


def test_full_width_common_password_is_refused(strength: PasswordStrength) -> None:
    assert strength.weakness("ｐａｓｓｗｏｒｄ１２３４", []) == REASON_COMMON


@pytest.mark.parametrize("password", ["tanaka-hiroshi1", "TanakaHiroshi1", "hiroshi2024!"])
def test_passwords_built_from_the_user_name_are_refused(
    strength: PasswordStrength, password: str
) -> None:
    reason = strength.weakness(password, ["tanaka-hiroshi", "Tanaka Hiroshi"])
    assert reason is not None
    assert "name" in reason


def test_user_inputs_matter(strength: PasswordStrength) -> None:
    assert strength.weakness("kuramoto-shizuka7", []) is None
    assert strength.weakness("kuramoto-shizuka7", ["kuramoto-shizuka"]) is not None


@pytest.mark.parametrize("password", ["correct horse battery staple", "7Rk#vQ9!mZ2@pL"])
def test_strong_passwords_are_accepted(strength: PasswordStrength, password: str) -> None:
    assert strength.weakness(password, ["tanaka-hiroshi", "Tanaka Hiroshi"]) is None


def test_japanese_passphrase_is_accepted(strength: PasswordStrength) -> None:
    assert strength.weakness("とても長い日本語のパスフレーズです", ["tanaka-hiroshi"]) is None


@pytest.mark.parametrize("password", ["", " ", "abc", "aaaaaaaaaaaa"])
def test_short_or_repetitive_passwords_are_refused(
    strength: PasswordStrength, password: str
) -> None:
    assert strength.weakness(password, []) is not None


@pytest.mark.parametrize(
    ("password", "strong"),
    [
        ("".join(random.Random(6238).choices(string.printable[:94], k=128)), True),
        ("a" * 128, False),
        ("1" * 128, False),
        ("パスワード" * 26, False),  # 130 characters
    ],
)
def test_long_passwords_work_and_are_quick(
    strength: PasswordStrength, password: str, strong: bool
) -> None:
    assert len(password) > 100
    started = time.perf_counter()
    reason = strength.weakness(password, ["tanaka-hiroshi"])
    assert time.perf_counter() - started < 2.0
    assert (reason is None) is strong
