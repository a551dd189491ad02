"""PyOtpTotp: RFC 6238 vectors, the ±1 step window, malformed input and QR codes."""

from __future__ import annotations

import base64

import pyotp
import pytest

from desktop.core.ports import TotpEngine
from desktop.security.totp import PyOtpTotp

#: RFC 6238 Appendix B: the SHA-1 key is the ASCII text "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")
#: A fixed 160-bit secret and time, so every window test is deterministic.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_700_000_000.0


@pytest.fixture
def totp() -> TotpEngine:
    return PyOtpTotp()


@pytest.fixture
def secret() -> str:
    return SECRET


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * 30)


@pytest.mark.parametrize(
    ("t", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_sha1_vectors(t: int, code: str) -> None:
    engine = PyOtpTotp(digits=8)
    assert engine.matching_step(RFC_SECRET, code, t) == t // 30


def test_new_secret_is_160_bits_of_base32(totp: TotpEngine) -> None:
    secret = totp.new_secret()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20
    assert totp.new_secret() != secret


@pytest.mark.parametrize("offset", [0, -1, 1])
def test_one_step_either_side_is_accepted(totp: TotpEngine, secret: str, offset: int) -> None:
    step = int(NOW) // 30 + offset
    assert totp.matching_step(secret, code_at(secret, step), NOW) == step


@pytest.mark.parametrize("offset", [-2, 2, -3, 3])
def test_two_steps_away_is_refused(totp: TotpEngine, secret: str, offset: int) -> None:
    step = int(NOW) // 30 + offset
    code = code_at(secret, step)
    assert code not in {code_at(secret, int(NOW) // 30 + d) for d in (-1, 0, 1)}
    assert totp.matching_step(secret, code, NOW) is None


def test_a_step_boundary_uses_the_current_step(totp: TotpEngine, secret: str) -> None:
    at = 1_700_000_010.0  # the first second of step 56666667
    step = int(at) // 30
    assert at == step * 30
    assert totp.matching_step(secret, code_at(secret, step), at + 29.9) == step


@pytest.mark.parametrize("spaced", ["{0} {1}", "{0}  {1}", " {0}{1} ", "{0}\t{1}"])
def test_codes_with_spaces_are_accepted(totp: TotpEngine, secret: str, spaced: str) -> None:
    step = int(NOW) // 30
    code = code_at(secret, step)
    assert totp.matching_step(secret, spaced.format(code[:3], code[3:]), NOW) == step


def test_spaces_inside_a_code_are_ignored(totp: TotpEngine, secret: str) -> None:
    step = int(NOW) // 30
    code = code_at(secret, step)
    assert totp.matching_step(secret, " ".join(code[i : i + 2] for i in (0, 2, 4)), NOW) == step


@pytest.mark.parametrize(
    "code", ["", " ", "12345", "1234567", "abcdef", "12345a", "-12345", "+123456", "１２３４５６"]
)
def test_malformed_codes_are_none(totp: TotpEngine, secret: str, code: str) -> None:
    assert totp.matching_step(secret, code, NOW) is None


def test_malformed_codes_never_match_even_when_digits_agree(totp: TotpEngine, secret: str) -> None:
    step = int(NOW) // 30
    code = code_at(secret, step)
    assert totp.matching_step(secret, code + "0", NOW) is None
    assert totp.matching_step(secret, code[:-1], NOW) is None
    assert totp.matching_step(secret, code[:-1] + "x", NOW) is None


@pytest.mark.parametrize("bad", ["", "not base32!", "ABC", "AAAAAAAA", "0189" * 8])
def test_invalid_secret_is_none(totp: TotpEngine, bad: str) -> None:
    assert totp.matching_step(bad, "123456", NOW) is None


@pytest.mark.parametrize("at", [float("nan"), float("inf"), -1e12, 1e15])
def test_odd_times_are_none(totp: TotpEngine, secret: str, at: float) -> None:
    assert totp.matching_step(secret, "123456", at) is None


def test_early_unix_time_has_no_negative_step(totp: TotpEngine, secret: str) -> None:
    assert totp.matching_step(secret, code_at(secret, 0), 5.0) == 0
    assert totp.matching_step(secret, code_at(secret, 1), 5.0) == 1


def test_provisioning_uri(totp: TotpEngine, secret: str) -> None:
    uri = totp.provisioning_uri(secret, "tanaka-hiroshi", "Kura")
    assert uri.startswith("otpauth://totp/Kura:tanaka-hiroshi?")
    assert f"secret={secret}" in uri
    assert "issuer=Kura" in uri
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.secret == secret
    assert parsed.now() == pyotp.TOTP(secret).now()


def test_provisioning_uri_quotes_non_ascii(totp: TotpEngine, secret: str) -> None:
    uri = totp.provisioning_uri(secret, "田中", "Kura 蔵")
    assert uri.isascii()
    assert " " not in uri
    assert pyotp.parse_uri(uri).issuer == "Kura 蔵"


def test_qr_text_is_a_multi_line_string(totp: TotpEngine, secret: str) -> None:
    text = totp.qr_text(totp.provisioning_uri(secret, "tanaka", "Kura"))
    assert isinstance(text, str)
    lines = text.splitlines()
    assert len(lines) > 10
    assert len({len(line) for line in lines}) == 1  # a rectangle
    assert "\x1b" not in text  # no terminal escape sequences


def test_qr_png_is_png_bytes(totp: TotpEngine, secret: str) -> None:
    uri = totp.provisioning_uri(secret, "tanaka", "Kura")
    small = totp.qr_png(uri, scale=1)
    png = totp.qr_png(uri)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > len(small)


def test_qr_png_refuses_a_zero_scale(totp: TotpEngine) -> None:
    with pytest.raises(ValueError, match="scale"):
        totp.qr_png("otpauth://totp/x", scale=0)


@pytest.mark.parametrize(("digits", "step"), [(5, 30), (11, 30), (6, 0)])
def test_constructor_refuses_odd_parameters(digits: int, step: int) -> None:
    with pytest.raises(ValueError):
        PyOtpTotp(digits=digits, step=step)
