"""Setting the workspace policies (:mod:`desktop.core.workspace_policy`): Owner only.

``strict_unlock`` is switched in the key slots (``keyslots.json``), not in ``settings``:
on, the Owner's password gets a slot and the keyring slot goes; off, a keyring slot comes
back and the password slots go. Turning it on needs the Owner's password (it is what
their slot is wrapped under), checked against their account first, and then rotates the
database key (``rotate``, the workspace rekey): a key or a ``keyslots.json`` captured in
keyring mode opens nothing afterwards. The new recovery key is returned to be shown.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AuthenticationFailed, InputError
from desktop.core.models import Actor, UserStatus
from desktop.core.ports import PasswordHasher, SettingsRepository, Store, Transaction
from desktop.core.ports.security import UnlockSlots
from desktop.core.services import slot_generation
from desktop.core.services.base import AuditedService
from desktop.core.services.workspace import RekeyResult
from desktop.core.workspace_policy import DESCRIPTIONS, Policy, policy_on, set_policy


class PolicyService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        slots: UnlockSlots | None = None,
        hasher: PasswordHasher | None = None,
        rotate: Callable[[Actor], RekeyResult] | None = None,
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._slots = slots
        self._hasher = hasher
        self._rotate = rotate

    def _on(self, settings: SettingsRepository, policy: Policy) -> bool:
        if policy is Policy.STRICT_UNLOCK:
            return self._slots is not None and self._slots.strict()
        return policy_on(settings, policy)

    def list(self, actor: Actor) -> list[dict[str, object]]:
        """Every policy, whether it is on, and what it does (any signed-in user)."""
        with self._op(actor) as op:
            return [
                {
                    "name": p.value.replace("_", "-"),
                    "on": self._on(op.tx.settings, p),
                    "description": DESCRIPTIONS[p],
                }
                for p in Policy
                if p is not Policy.STRICT_UNLOCK or self._slots is not None
            ]

    def set(
        self, actor: Actor, policy: Policy, on: bool, *, password: str | None = None
    ) -> RekeyResult | None:
        """Switch a policy (Owner: security settings). ``strict_unlock`` on needs the
        acting Owner's ``password`` and rotates the database key: the result carries the
        new recovery key (None for any other change)."""
        rotate = False
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"policy:{policy.value}") as op:
            before = self._on(op.tx.settings, policy)
            payload: dict[str, object] = {}
            if policy is Policy.STRICT_UNLOCK:
                payload = self._switch_unlock(op.tx, op.actor, on, before, password)
                slot_generation.record(op.tx.settings, self._slots)
                rotate = on and self._rotate is not None
            else:
                set_policy(op.tx.settings, policy, on)
            op.audit(
                AuditAction.POLICY_CHANGED,
                f"policy:{policy.value}",
                {"from": before, "to": on, "at": iso_utc(self._clock.now()), **payload},
            )
        if rotate and self._rotate is not None:
            # Keyring mode's key may have been captured (it does not protect against the
            # user's own processes): strict mode starts under a fresh one.
            return self._rotate(actor)
        return None

    def _switch_unlock(
        self, tx: Transaction, actor: Actor, on: bool, before: bool, password: str | None
    ) -> dict[str, object]:
        """Rewrite the slots for the new mode; the audit payload names who has no slot."""
        slots, hasher = self._slots, self._hasher
        if slots is None or hasher is None:
            raise InputError("workspace.unknown_policy", name="strict-unlock", known="")
        if not on:
            if before:
                slots.disable_strict()
            return {}
        user = tx.users.get(actor.user_id)
        if password is None or user is None or not hasher.verify(user.password_hash, password):
            raise AuthenticationFailed("workspace.strict_needs_password")
        undeleted = slots.enable_strict(actor.username, password)
        with_slot = slots.slot_users()
        missing = sorted(
            u.username
            for u in tx.users.list()
            if u.status is UserStatus.ACTIVE and u.username.casefold() not in with_slot
        )
        facts: dict[str, object] = {"users_without_slot": missing}
        if undeleted:  # the rotation that follows makes them useless; still say so
            facts["keyring_items_not_deleted"] = undeleted
        return facts

    def users_without_slot(self, actor: Actor) -> builtins.list[str]:
        """Active users who cannot open the workspace in strict mode until their password
        is reset (Owner: security settings)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY) as op:
            if self._slots is None or not self._slots.strict():
                return []
            with_slot = self._slots.slot_users()
            return sorted(
                u.username
                for u in op.tx.users.list()
                if u.status is UserStatus.ACTIVE and u.username.casefold() not in with_slot
            )
