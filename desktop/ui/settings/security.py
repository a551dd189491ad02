"""Security: the idle lock, two-step sign-in, workspace policies, the database key and
recovery key, and the audit signing key. Each part is a panel that loads itself; the
parts a role may not change are read-only, and the key parts are left out for others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSpinBox, QWidget

from desktop.core.errors import InputError
from desktop.core.rbac import Permission
from desktop.core.services.settings import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES
from desktop.core.workspace_policy import Policy, parse_policy
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.settings.common import Panel, SettingsPage, hint
from desktop.ui.settings.keys import EncryptionKeyPanel, SigningKeyPanel
from desktop.ui.settings.strict import StrictUnlockPanel
from desktop.ui.settings.totp import TotpPanel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button


class SecurityPage(SettingsPage):
    key = "security"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panels: list[Panel] = [IdleTimeoutPanel(ctx, self), TotpPanel(ctx, self)]
        self.panels.append(PoliciesPanel(ctx, self))
        if ctx.can(Permission.MANAGE_SECURITY):
            self.panels.append(StrictUnlockPanel(ctx, self))
            self.panels.append(EncryptionKeyPanel(ctx, self))
        if ctx.can(Permission.VIEW_LOGS):
            self.panels.append(SigningKeyPanel(ctx, self))
        for panel in self.panels:
            self.body.addWidget(panel)
        self.finish()

    def title(self) -> str:
        return self.tr("Security")

    def activate(self) -> None:
        for panel in self.panels:
            panel.activate()

    def teardown(self) -> None:
        for panel in self.panels:
            panel.teardown()
        super().teardown()


class IdleTimeoutPanel(Panel):
    """Everyone sees the idle lock; the Owner and Admins change it for the workspace."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.spin = QSpinBox(self.box)
        self.spin.setObjectName("idleTimeoutSpin")
        self.spin.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.spin.setSuffix(self.tr(" minutes"))
        self.save_button = primary_button(self.tr("Save"), "saveIdleTimeoutButton", self.box)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.message = InlineMessage(self.box)
        may_change = ctx.can(Permission.MANAGE_MEMBERS)
        self.spin.setEnabled(may_change)
        self.save_button.setVisible(may_change)
        text = (
            self.tr("Every window of this workspace locks after this long without input.")
            if may_change
            else self.tr(
                "Windows lock after this long without input (set by the Owner or an Admin)."
            )
        )
        self.content.addWidget(hint(text, self.box))
        row = QHBoxLayout()
        row.addWidget(self.spin)
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.content.addLayout(row)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Lock when idle")

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.settings.workspace_settings(actor)["idle_timeout_minutes"],
            key="load",
            on_done=self.spin.setValue,
            on_failed=self.message.show_error,
        )

    def _on_save_clicked(self) -> None:
        minutes = self.spin.value()
        actor = self.actor()

        def op(lc: LaneContext) -> int:
            lc.ws.settings.set_idle_timeout(actor, minutes)
            return minutes

        self.save_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="save",
            on_done=self._on_saved,
            on_failed=self.message.show_error,
            on_finally=lambda: self.save_button.setEnabled(True),
        )

    def _on_saved(self, minutes: int) -> None:
        self.ctx.set_idle_timeout(timedelta(minutes=minutes))
        self.message.show_info(
            self.tr("Saved. Windows lock after {minutes} idle minutes.").format(minutes=minutes)
        )


STRICT_UNLOCK = Policy.STRICT_UNLOCK.value.replace("_", "-")


class PoliciesPanel(Panel):
    """Workspace policies as switches (Owner); others see them read-only."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.checks: dict[str, QCheckBox] = {}
        self.message = InlineMessage(self.box)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Policies")

    def _label(self, name: str, fallback: str) -> str:
        labels = {
            Policy.REQUIRE_TOTP_FOR_ADMINS: self.tr(
                "The Owner and Admins must sign in with a one-time code"
            ),
            Policy.ROLE_APPROVAL: self.tr(
                "A role raised by an Admin waits for the Owner's approval"
            ),
        }
        try:
            return labels.get(parse_policy(name), fallback)
        except InputError:  # a policy this build has no words for
            return fallback

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.policies.list(actor),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, policies: list[dict[str, Any]]) -> None:
        may_change = self.ctx.can(Permission.MANAGE_SECURITY)
        for policy in policies:
            name = str(policy["name"])
            if name == STRICT_UNLOCK:
                continue  # its own panel, the Owner's only (it needs their password)
            check = self.checks.get(name)
            if check is None:
                check = QCheckBox(self._label(name, str(policy["description"])), self.box)
                check.setObjectName(f"policy_{name.replace('-', '_')}")
                check.setEnabled(may_change)
                check.toggled.connect(lambda on, n=name: self._on_policy_toggled(n, on))
                self.content.insertWidget(self.content.count() - 1, check)
                self.checks[name] = check
            check.blockSignals(True)
            check.setChecked(bool(policy["on"]))
            check.blockSignals(False)

    def _on_policy_toggled(self, name: str, on: bool) -> None:
        actor = self.actor()
        policy = parse_policy(name)
        self.message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.policies.set(actor, policy, on),
            key=f"set:{name}",
            on_failed=lambda exc: self._on_policy_failed(name, on, exc),
        )

    def _on_policy_failed(self, name: str, on: bool, exc: BaseException) -> None:
        check = self.checks[name]
        check.blockSignals(True)
        check.setChecked(not on)
        check.blockSignals(False)
        self.message.show_error(exc)
