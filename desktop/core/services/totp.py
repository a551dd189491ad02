"""TOTP enrollment (RFC 6238) and recovery codes, for the signed-in user.

Enrolling is two steps: ``begin`` makes a secret and shows it as a QR code (it is kept as
*pending*: an existing TOTP stays in force), and ``confirm`` with a code from the
authenticator app turns it on and returns ten one-time recovery codes, shown once and
stored only as SHA-256. Enrolling is the one thing an Owner or Admin may do while the
workspace policy requires TOTP and they have none.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError, NotFound
from desktop.core.models import Actor, Role
from desktop.core.policy import normalise_username
from desktop.core.ports import Store, TotpEngine
from desktop.core.services.accounts import existing_user
from desktop.core.services.base import AuditedService
from desktop.core.services.sign_in import recovery_code_hash

RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_ISSUER = "Kura"


def new_recovery_code() -> str:
    """``xxxxx-xxxxx`` from 31 unambiguous characters: about 50 bits."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


@dataclass(frozen=True, slots=True)
class TotpEnrollment:
    """What the user needs to add the account to an authenticator app."""

    secret: str = field(repr=False)
    uri: str = field(repr=False)
    qr_text: str = field(repr=False)


class TotpService(AuditedService):
    def __init__(self, store: Store, engine: TotpEngine, clock: Clock) -> None:
        super().__init__(store)
        self._engine = engine
        self._clock = clock

    def begin(self, actor: Actor) -> TotpEnrollment:
        """A new pending secret for the actor, as a QR code and as text."""
        secret = self._engine.new_secret()
        with self._op(actor, enrolling=True) as op:
            current = op.actor
            uri = self._engine.provisioning_uri(secret, current.username, _ISSUER)
            op.tx.security.set_pending_totp(current.user_id, secret)
            op.audit(AuditAction.TOTP_ENROLLMENT_STARTED, f"user:{current.username}")
        return TotpEnrollment(secret, uri, self._engine.qr_text(uri))

    def qr_png(self, enrollment: TotpEnrollment, scale: int = 6) -> bytes:
        """The enrollment's QR code as PNG bytes (for the GUI; never written to disk)."""
        return self._engine.qr_png(enrollment.uri, scale)

    def confirm(self, actor: Actor, code: str) -> list[str]:
        """Turn the pending secret on with a current code; returns the recovery codes."""
        with self._op(actor, enrolling=True) as op:
            tx, current = op.tx, op.actor
            state = tx.security.totp(current.user_id)
            if state is None or state.pending_secret is None:
                raise NotFound("security.totp_not_pending")
            step = self._engine.matching_step(
                state.pending_secret, code, self._clock.now().timestamp()
            )
            if step is None:
                raise InputError("security.totp_code_mismatch")
            codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
            tx.security.confirm_totp(current.user_id, step, iso_utc(self._clock.now()))
            tx.security.replace_recovery_codes(
                current.user_id, [recovery_code_hash(c) for c in codes]
            )
            enrolled = {"recovery_codes": len(codes)}
            op.audit(AuditAction.TOTP_ENROLLED, f"user:{current.username}", enrolled)
        return codes

    def status(self, actor: Actor) -> dict[str, object]:
        """Whether the actor has TOTP, and how many recovery codes are left."""
        with self._op(actor, enrolling=True) as op:
            state = op.tx.security.totp(op.actor.user_id)
            left = op.tx.security.unused_recovery_codes(op.actor.user_id)
        return {
            "enabled": bool(state and state.enabled),
            "pending": bool(state and state.pending_secret),
            "enrolled_at": state.enrolled_at if state else None,
            "recovery_codes_left": left,
        }

    def reset(self, actor: Actor, username: str) -> None:
        """Remove a user's TOTP and recovery codes: one's own, or (Admin and Owner) a
        lost device's for someone else, never the Owner's by another."""
        name = normalise_username(username)
        own = name.casefold() == actor.username.casefold()
        permission = None if own else rbac.Permission.MANAGE_MEMBERS
        with self._op(actor, permission, f"user:{name}", enrolling=own) as op:
            user = existing_user(op.tx, name)
            if not own and user.role is Role.OWNER:
                op.refuse(
                    "manage_owner",
                    f"user:{user.username}",
                    "security.owner_totp_reset",
                )
            op.tx.security.delete_totp(user.id)
            op.audit(AuditAction.TOTP_RESET, f"user:{user.username}")
