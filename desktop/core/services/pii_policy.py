"""The workspace's personal-data defaults and terms (:mod:`desktop.core.privacy`).

Apps set *minimise logs* and *pseudonymise before the model* in their own config
(``AppService.edit``, audited as ``app.edited``); an app that leaves one unset follows
the workspace default set here. The default and the terms are the Owner's (security
settings); each change is audited in its own transaction. The terms are personal data
themselves, so their event records how many there are, never what they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core import privacy, rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.models import Actor
from desktop.core.privacy import Defaults, Term
from desktop.core.services.base import AuditedService


class PrivacyService(AuditedService):
    def defaults(self, actor: Actor) -> Defaults:
        """The workspace default (any signed-in user: Studio shows what an app follows)."""
        with self._op(actor) as op:
            return privacy.defaults(op.tx.settings)

    def detector_needed(self, actor: Actor) -> bool:
        """Whether a policy in force calls the detector (any signed-in user: the window
        then warms the detector's host ahead of first use, see
        :attr:`desktop.engines.Engines.preload_pii`)."""
        with self._op(actor) as op:
            return privacy.detector_needed(op.tx)

    def set_defaults(
        self,
        actor: Actor,
        *,
        minimise_logs: bool | None = None,
        pseudonymise: bool | None = None,
    ) -> Defaults:
        """Change the workspace default (Owner); None leaves a policy as it is."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "privacy:defaults") as op:
            before = privacy.defaults(op.tx.settings)
            after = Defaults(
                minimise_logs=before.minimise_logs if minimise_logs is None else minimise_logs,
                pseudonymise=before.pseudonymise if pseudonymise is None else pseudonymise,
            )
            privacy.set_defaults(op.tx.settings, after)
            op.audit(
                AuditAction.PRIVACY_POLICY_CHANGED,
                "privacy:defaults",
                {"from": before.as_dict(), "to": after.as_dict()},
            )
            return after

    def terms(self, actor: Actor) -> list[Term]:
        """The workspace's terms (Owner: they are personal data themselves)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "privacy:terms") as op:
            return list(privacy.terms(op.tx.settings))

    def set_terms(self, actor: Actor, terms: Sequence[Term]) -> list[Term]:
        """Replace the workspace's terms (Owner); each pattern is checked first."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "privacy:terms") as op:
            kept = privacy.validated(tuple(terms))
            before = privacy.terms(op.tx.settings)
            privacy.set_terms(op.tx.settings, kept)
            op.audit(
                AuditAction.PRIVACY_TERMS_CHANGED,
                "privacy:terms",
                {
                    "from": len(before),
                    "to": len(kept),
                    "patterns": sum(1 for t in kept if t.regex),
                },
            )
            return list(kept)
