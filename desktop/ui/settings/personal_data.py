"""Personal data: the workspace's default policies for apps and its own terms (the
Owner edits them; others see the defaults read-only and no terms, which are personal
data themselves), and "Test the detector" for everyone."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QWidget

from desktop.core.models import Actor
from desktop.core.privacy import Defaults, Term
from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.settings.common import SettingsPage, group, hint
from desktop.ui.settings.pii_tester import DetectorTester
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button, spread_row

REGEX = "re:"  # as `kura privacy set-terms` reads them


@dataclass(frozen=True, slots=True)
class Loaded:
    defaults: Defaults
    terms: list[Term] | None  # None: not the Owner


def terms_text(terms: list[Term]) -> str:
    return "\n".join(f"{REGEX}{t.text}" if t.regex else t.text for t in terms)


def parse_terms(text: str) -> list[Term]:
    """One term a line; ``re:`` before a regular expression; blank lines skipped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [
        Term(line[len(REGEX) :], regex=True) if line.startswith(REGEX) else Term(line)
        for line in lines
    ]


def _load(lc: LaneContext, actor: Actor, owner: bool) -> Loaded:
    privacy = lc.ws.privacy
    return Loaded(privacy.defaults(actor), privacy.terms(actor) if owner else None)


class PersonalDataPage(SettingsPage):
    key = "personal_data"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = ctx.can(Permission.MANAGE_SECURITY)
        self.message = InlineMessage(self)
        self.body.addWidget(self.message)
        self._build_defaults()
        self.terms: QPlainTextEdit | None = None
        if self.owner:
            self._build_terms()
        self.tester = DetectorTester(ctx, self)
        self.body.addWidget(self.tester)
        self.finish()

    def title(self) -> str:
        return self.tr("Personal data")

    def _build_defaults(self) -> None:
        box, layout = group(self.tr("Default for apps"), self)
        layout.addWidget(
            hint(
                self.tr(
                    "Apps whose Studio setting is “Workspace default” follow these. "
                    "Minimise logs: logs, traces and feedback keep placeholders instead of "
                    "personal data. Pseudonymise before the model: the model sees "
                    "placeholders and the answer shows the values again."
                ),
                box,
            )
        )
        self.minimise_logs = QCheckBox(self.tr("Minimise logs"), box)
        self.minimise_logs.setObjectName("defaultMinimiseLogs")
        self.pseudonymise = QCheckBox(self.tr("Pseudonymise before the model"), box)
        self.pseudonymise.setObjectName("defaultPseudonymise")
        self.save_defaults = primary_button(self.tr("Save defaults"), "saveDefaults", box)
        self.save_defaults.clicked.connect(self._on_save_defaults_clicked)
        layout.addWidget(self.minimise_logs)
        layout.addWidget(self.pseudonymise)
        if self.owner:
            layout.addLayout(spread_row([], [self.save_defaults]))
        else:
            self.save_defaults.hide()
            layout.addWidget(hint(self.tr("Only the Owner can change these."), box))
        for box_ in (self.minimise_logs, self.pseudonymise):
            box_.setEnabled(self.owner)
        self.body.addWidget(box)

    def _build_terms(self) -> None:
        box, layout = group(self.tr("Workspace terms"), self)
        layout.addWidget(
            hint(
                self.tr(
                    "Names, project code names, customer ids… that count as personal data "
                    "here. One a line; write re: before a regular expression "
                    "(re:CUST-\\d{6}). Letter case does not matter."
                ),
                box,
            )
        )
        self.terms = QPlainTextEdit(box)
        self.terms.setObjectName("privacyTerms")
        self.terms.setMinimumHeight(110)
        self.terms_message = InlineMessage(box)
        self.save_terms = primary_button(self.tr("Save terms"), "saveTerms", box)
        self.save_terms.clicked.connect(self._on_save_terms_clicked)
        layout.addWidget(self.terms)
        layout.addWidget(self.terms_message)
        layout.addLayout(spread_row([], [self.save_terms]))
        self.body.addWidget(box)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        actor, owner = self.actor(), self.owner
        self.run(
            Lane.DB,
            lambda lc: _load(lc, actor, owner),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, loaded: Loaded) -> None:
        self.minimise_logs.setChecked(loaded.defaults.minimise_logs)
        self.pseudonymise.setChecked(loaded.defaults.pseudonymise)
        if self.terms is not None and loaded.terms is not None:
            self.terms.setPlainText(terms_text(loaded.terms))

    # ------------------------------------------------------------------ saving

    def _on_save_defaults_clicked(self) -> None:
        actor = self.actor()
        minimise, pseudonymise = self.minimise_logs.isChecked(), self.pseudonymise.isChecked()
        self.save_defaults.setEnabled(False)
        self.message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.privacy.set_defaults(
                actor, minimise_logs=minimise, pseudonymise=pseudonymise
            ),
            key="defaults",
            on_done=lambda _d: self.message.show_info(self.tr("Defaults saved.")),
            on_failed=self.message.show_error,
            on_finally=lambda: self.save_defaults.setEnabled(True),
        )

    def _on_save_terms_clicked(self) -> None:
        if self.terms is None:
            return
        actor, terms = self.actor(), parse_terms(self.terms.toPlainText())
        self.save_terms.setEnabled(False)
        self.terms_message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.privacy.set_terms(actor, terms),
            key="terms",
            on_done=self._on_terms_saved,
            on_failed=self.terms_message.show_error,
            on_finally=lambda: self.save_terms.setEnabled(True),
        )

    def _on_terms_saved(self, kept: list[Term]) -> None:
        if self.terms is not None:
            self.terms.setPlainText(terms_text(kept))
        self.terms_message.show_info(self.tr("{n} terms saved.").format(n=len(kept)))
