"""A new password typed twice: the policy's rules shown up front, a live strength meter
(zxcvbn's score, the same estimator the account service refuses weak passwords with),
the verdict in words and a show/hide toggle. Used by the first-run wizard's Owner step
and the Members dialogs. The estimate runs on the db lane (it needs no workspace) a
moment after typing stops; the password never leaves this widget and the op using it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QProgressBar, QWidget

from desktop import app
from desktop.core.policy import PASSWORD_MAX, PASSWORD_MIN
from desktop.ui.context import UiContext
from desktop.ui.errors import FormProblem, describe
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane

STRENGTH_DELAY_MS = 250
METER_STEPS = 4  # zxcvbn's scores run 0-4


class PasswordFields(QObject):
    """The fields live in the caller's form (``add_rows``); ``verdict`` is the text the
    strength line shows, so a dialog can tell whether an error repeats it."""

    def __init__(self, ctx: UiContext, parent: QWidget, *, rules: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._parent = parent
        self.user_inputs: Callable[[], list[str]] = list
        self.verdict: str = ""
        self.score = 0
        self.password = self._field("newPassword", self.rules_hint())
        self.confirm = self._field("confirmPassword", self.tr("The same again"))
        self.rules = PlainLabel(self.rules_text(), parent)
        self.rules.setObjectName("passwordRules")
        self.rules.setWordWrap(True)
        self.rules.setVisible(rules)
        self.meter = QProgressBar(parent)
        self.meter.setObjectName("strengthMeter")
        self.meter.setRange(0, METER_STEPS)
        self.meter.setValue(0)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.meter.setAccessibleName(self.tr("Password strength"))
        self.strength = PlainLabel(parent)
        self.strength.setObjectName("passwordStrength")
        self.strength.setWordWrap(True)
        self.strength.setMinimumHeight(2 * self.strength.fontMetrics().height())
        self.show_toggle = QCheckBox(self.tr("Show password"), parent)
        self.show_toggle.setObjectName("showPassword")
        self.show_toggle.toggled.connect(self._on_show_toggled)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STRENGTH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.password.textChanged.connect(self._on_password_changed)
        self.confirm.textChanged.connect(self._on_password_changed)

    def rules_hint(self) -> str:
        return self.tr("At least {minimum} characters").format(minimum=PASSWORD_MIN)

    def rules_text(self) -> str:
        """The account service's rules, with its own numbers."""
        return self.tr(
            "At least {minimum} characters (at most {maximum}); any characters count, spaces "
            "too. A few unrelated words make a strong password. Common passwords and ones "
            "built from the user name are refused."
        ).format(minimum=PASSWORD_MIN, maximum=PASSWORD_MAX)

    def add_rows(self, form: QFormLayout, label: str = "", again: str = "") -> None:
        form.addRow("", self.rules)
        form.addRow(label or self.tr("Password"), self.password)
        form.addRow(again or self.tr("Confirm"), self.confirm)
        form.addRow("", self.meter)
        form.addRow("", self.strength)
        form.addRow("", self.show_toggle)

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self._parent)
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(placeholder)
        return field

    def value(self) -> str:
        """The password, or FormProblem when the two fields differ or are empty."""
        if not self.password.text():
            raise FormProblem(self.tr("Type the new password."))
        if self.password.text() != self.confirm.text():
            raise FormProblem(self.tr("The two passwords differ: type the same one twice."))
        return self.password.text()

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def _on_password_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        password = self.password.text()
        if not password:
            self._show("", 0)
            return
        inputs = self.user_inputs()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: app.judge_password(password, *inputs),
            owner=self,
            key="strength",
            on_done=self._on_judged,
        )

    def _on_judged(self, verdict: app.PasswordVerdict) -> None:
        if verdict.problem is not None:
            self._show(describe(verdict.problem) or "", verdict.score)
        elif self.confirm.text() and self.confirm.text() != self.password.text():
            self._show(self.tr("Strong enough — but the two passwords differ."), verdict.score)
        else:
            self._show(self.tr("✓ Strong enough."), verdict.score, strong=True)

    def _show(self, text: str, score: int, *, strong: bool = False) -> None:
        self.verdict = text
        self.score = score
        self.strength.setText(text)
        self.meter.setValue(score)
        self.meter.setProperty("strong", strong)
        self.meter.style().unpolish(self.meter)
        self.meter.style().polish(self.meter)

    def teardown(self) -> None:
        self._timer.stop()
        self.ctx.runner.cancel_owner(self)
