"""Time-based one-time passwords (pyotp) and their QR codes (segno), the ``TotpEngine`` port's
adapter.

Codes follow RFC 6238 as authenticator apps expect them: HMAC-SHA-1, 6 digits, 30-second
steps. A code is accepted for the current step and for one step either side, to forgive a
clock that drifts a little or a code typed just as it changes; the step that matched is
returned so the caller can refuse the same step twice (a replayed code).

Checking never raises: a malformed code or a secret that does not decode is simply no
match. Codes are compared in constant time. QR codes are drawn in memory only, as text for a
terminal or as PNG bytes for the GUI; nothing is written to a file.
"""

from __future__ import annotations

import hmac
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyotp
    import segno

#: RFC 6238 defaults, which every authenticator app uses.
DEFAULT_DIGITS = 6
DEFAULT_STEP_SECONDS = 30
#: Length of a new secret in base32 characters (32 x 5 = 160 bits, RFC 4226's recommendation).
SECRET_BASE32_CHARS = 32

#: Steps tried, in order, relative to the current one.
_WINDOW = (0, -1, +1)


class PyOtpTotp:
    """RFC 6238 TOTP with HMAC-SHA-1.

    ``digits`` and ``step`` exist so RFC 6238's own test vectors (8 digits) can be checked;
    production uses the defaults, which are what authenticator apps expect.
    """

    def __init__(self, *, digits: int = DEFAULT_DIGITS, step: int = DEFAULT_STEP_SECONDS) -> None:
        if not 6 <= digits <= 10:
            raise ValueError("digits must be between 6 and 10")
        if step < 1:
            raise ValueError("step must be at least one second")
        self._digits = digits
        self._step = step

    def _totp(self, secret: str) -> pyotp.TOTP:
        import pyotp

        return pyotp.TOTP(secret, digits=self._digits, interval=self._step)

    def new_secret(self) -> str:
        """A fresh random base32 secret (160 bits, from the ``secrets`` module)."""
        import pyotp

        return pyotp.random_base32(SECRET_BASE32_CHARS)

    def matching_step(self, secret: str, code: str, at: float) -> int | None:
        """The time step (unix time // step) within one step of ``at`` whose code is ``code``.

        Spaces (any white space) inside the code are ignored; what remains must be exactly
        ``digits`` ASCII digits. None for no match, a malformed code or an invalid secret.
        """
        candidate = "".join(code.split())
        if len(candidate) != self._digits or not (candidate.isascii() and candidate.isdigit()):
            return None
        try:
            totp = self._totp(secret)
        except (ValueError, TypeError):  # binascii.Error is a ValueError
            return None
        try:
            current = int(at) // self._step
        except (ValueError, OverflowError):  # NaN or infinity
            return None
        matched: int | None = None
        for offset in _WINDOW:
            step = current + offset
            if step < 0:
                continue
            try:
                expected = totp.at(step * self._step)
            except (ValueError, TypeError, OverflowError):
                return None
            # Every candidate is compared, so timing does not tell which step matched.
            if hmac.compare_digest(expected.encode("ascii"), candidate.encode("ascii")):
                matched = step if matched is None else matched
        return matched

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        """The ``otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER`` URI."""
        return self._totp(secret).provisioning_uri(name=account, issuer_name=issuer)

    def qr_text(self, uri: str) -> str:
        """The URI as a QR code drawn with block characters (two modules per line).

        Light modules are drawn as full blocks, so the code reads on a dark terminal.
        """
        out = io.StringIO()
        _qr(uri).terminal(out=out, compact=True)
        return out.getvalue()

    def qr_png(self, uri: str, scale: int = 6) -> bytes:
        """The URI as a QR code in PNG bytes (``scale`` pixels per module), built in memory."""
        if scale < 1:
            raise ValueError("scale must be at least 1")
        out = io.BytesIO()
        _qr(uri).save(out, kind="png", scale=scale)
        return out.getvalue()


def _qr(uri: str) -> segno.QRCode:
    import segno

    return segno.make(uri, error="m")
