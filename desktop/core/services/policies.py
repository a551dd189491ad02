"""Setting the workspace policies (:mod:`desktop.core.workspace_policy`): Owner only."""

from __future__ import annotations

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.models import Actor
from desktop.core.ports import Store
from desktop.core.services.base import AuditedService
from desktop.core.workspace_policy import DESCRIPTIONS, Policy, policy_on, set_policy


class PolicyService(AuditedService):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(store)
        self._clock = clock

    def list(self, actor: Actor) -> list[dict[str, object]]:
        """Every policy, whether it is on, and what it does (any signed-in user)."""
        with self._op(actor) as op:
            return [
                {
                    "name": p.value.replace("_", "-"),
                    "on": policy_on(op.tx.settings, p),
                    "description": DESCRIPTIONS[p],
                }
                for p in Policy
            ]

    def set(self, actor: Actor, policy: Policy, on: bool) -> None:
        """Switch a policy (Owner: security settings)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"policy:{policy.value}") as op:
            before = policy_on(op.tx.settings, policy)
            set_policy(op.tx.settings, policy, on)
            op.audit(
                AuditAction.POLICY_CHANGED,
                f"policy:{policy.value}",
                {"from": before, "to": on, "at": iso_utc(self._clock.now())},
            )
