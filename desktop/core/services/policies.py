"""Setting the workspace policies (:mod:`desktop.core.workspace_policy`): Owner only."""

from __future__ import annotations

from desktop.core import rbac
from desktop.core.clock import Clock, iso_utc
from desktop.core.models import Actor, ChangeSet
from desktop.core.ports import Store
from desktop.core.services.base import AuditedService
from desktop.core.workspace_policy import DESCRIPTIONS, Policy, policy_on, set_policy


class PolicyService(AuditedService):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(store)
        self._clock = clock

    def list(self, actor: Actor) -> list[dict[str, object]]:
        """Every policy, whether it is on, and what it does (any signed-in user)."""
        self._current(actor)
        with self._store.transaction() as tx:
            return [
                {
                    "name": p.value.replace("_", "-"),
                    "on": policy_on(tx.settings, p),
                    "description": DESCRIPTIONS[p],
                }
                for p in Policy
            ]

    def set(self, actor: Actor, policy: Policy, on: bool) -> ChangeSet:
        """Switch a policy (Owner: security settings)."""
        self._require(actor, rbac.Permission.MANAGE_SECURITY, f"policy:{policy.value}")
        with self._store.transaction() as tx:
            before = policy_on(tx.settings, policy)
            set_policy(tx.settings, policy, on)
            tx.audit.append(
                actor=actor.username,
                action="policy.changed",
                obj=f"policy:{policy.value}",
                payload={"from": before, "to": on, "at": iso_utc(self._clock.now())},
            )
        return ChangeSet(frozenset({"settings"}), ())
