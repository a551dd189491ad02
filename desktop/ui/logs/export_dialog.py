"""Export a signed audit bundle: choose a folder and a filter, see the signing key's
fingerprint first, export on the ``db`` lane, then read where the bundle went and how an
auditor checks it (the bundle's own VERIFY.txt)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError, InputError
from desktop.core.models import Actor
from desktop.files import refuse_existing, write_new_file
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.logs.filters import AppFilter, DateRangeFilter
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button
from desktop.verifier import bundle_verify


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    path: Path
    fingerprint: str
    first_seq: int
    last_seq: int
    count: int
    redacted: int
    verify_text: str
    #: Events with a pseudonymised payload; None when not asked to pseudonymise.
    pseudonymised: int | None = None


def signing_fingerprint(lc: LaneContext, actor: Actor) -> str:
    """The current signing key's fingerprint (the first allowed_signers line)."""
    signers = bundle_verify.parse_allowed_signers(lc.ws.logs.allowed_signers(actor))
    if not signers:
        raise InputError("logs.no_signing_key_yet")
    return bundle_verify.key_fingerprint(signers[0].key_blob)


def export_bundle(
    lc: LaneContext,
    actor: Actor,
    path: Path,
    app_id: int | None,
    since: str | None,
    until: str | None,
    pseudonymise: bool = False,
) -> ExportOutcome:
    """The export op: sign the bundle, write it (unless cancelled meanwhile)."""
    if path.exists():  # before exporting: a refused write should not leave an audit event
        raise refuse_existing(path)
    lc.progress(0, None, "")
    export = lc.ws.logs.export(
        actor,
        app_ref=app_id,
        since=since,
        until=until,
        progress=lc.progress,
        pseudonymise=pseudonymise,
    )
    lc.token.raise_if_cancelled()
    write_new_file(path, export.data)
    with zipfile.ZipFile(io.BytesIO(export.data)) as bundle:
        verify = bundle.read("VERIFY.txt").decode("utf-8")
    return ExportOutcome(
        path=path,
        fingerprint=export.fingerprint,
        first_seq=export.first_seq,
        last_seq=export.last_seq,
        count=export.count,
        redacted=export.redacted,
        verify_text=verify,
        pseudonymised=export.pseudonymised if pseudonymise else None,
    )


def ssh_keygen_line(verify_text: str) -> str:
    """The ``ssh-keygen -Y verify`` command from VERIFY.txt (empty if absent)."""
    for line in verify_text.splitlines():
        if line.strip().startswith("ssh-keygen -Y verify"):
            return line.strip()
    return ""


class ExportDialog(QDialog):
    """Destination, filter and the signing key's fingerprint, then the result."""

    def __init__(self, ctx: UiContext, apps: dict[int, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outcome: ExportOutcome | None = None
        self.setObjectName("exportDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Export a signed audit bundle"))
        self.resize(640, 560)
        self.finished.connect(self._on_finished)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(12)
        intro = PlainLabel(
            self.tr(
                "The bundle holds the audit log over the chosen days, signed with this "
                "workspace's key. Events outside the chosen app stay in it redacted, so "
                "the chain still verifies."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(intro)
        layout.addLayout(self._build_form(apps))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        layout.addWidget(self._build_result(), 1)
        layout.addStretch(0)
        layout.addLayout(self._build_buttons())
        self._load_fingerprint()

    # ------------------------------------------------------------------ building

    def _build_form(self, apps: dict[int, str]) -> QFormLayout:
        form = QFormLayout()
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(self)
        self.folder.setObjectName("exportFolder")
        self.folder.setPlaceholderText(self.tr("Choose a folder, e.g. a USB stick"))
        choose = QPushButton(self.tr("Choose…"), self)
        choose.setObjectName("chooseFolder")
        choose.clicked.connect(self._on_choose_clicked)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form.addRow(self.tr("Folder"), folder_row)
        self.file_name = QLineEdit(self)
        self.file_name.setObjectName("exportFileName")
        stamp = self.ctx.backend.clock.now().strftime("%Y%m%d-%H%M")
        self.file_name.setText(f"kura-audit-{stamp}.zip")
        form.addRow(self.tr("File name"), self.file_name)
        self.app_filter = AppFilter(self)
        self.app_filter.setObjectName("exportApp")
        self.app_filter.set_apps(apps)
        form.addRow(self.tr("App"), self.app_filter)
        self.dates = DateRangeFilter(self.ctx.backend.clock.now().date(), self)
        form.addRow(self.tr("Days"), self.dates)
        self.pseudonymise = QCheckBox(self.tr("Pseudonymise personal data"), self)
        self.pseudonymise.setObjectName("exportPseudonymise")
        self.pseudonymise.setToolTip(
            self.tr(
                "Names, phone numbers, My Numbers and other personal data in the exported "
                "events are replaced by pseudonyms; the bundle still verifies. The Owner can "
                "later disclose one value to an auditor with `kura logs prove`."
            )
        )
        form.addRow("", self.pseudonymise)
        self.fingerprint = PlainLabel(self.tr("Reading the signing key…"), self)
        self.fingerprint.setObjectName("signingFingerprint")
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Signing key"), self.fingerprint)
        hint = PlainLabel(
            self.tr("Give auditors this fingerprint in person, so they can trust the signature."),
            self,
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        return form

    def _build_result(self) -> QWidget:
        self.result_panel = QWidget(self)
        column = QVBoxLayout(self.result_panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.bundle_path = PlainLabel(self.result_panel)
        self.bundle_path.setObjectName("bundlePath")
        self.bundle_path.setWordWrap(True)
        self.bundle_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.bundle_path)
        self.command = PlainLabel(self.result_panel)
        self.command.setObjectName("verifyCommand")
        self.command.setWordWrap(True)
        self.command.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.command)
        self.verify_text = QPlainTextEdit(self.result_panel)
        self.verify_text.setObjectName("verifyHint")
        self.verify_text.setReadOnly(True)
        self.verify_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.verify_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        column.addWidget(self.verify_text, 1)
        self.result_panel.hide()
        return self.result_panel

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeExport")
        self.close_button.clicked.connect(self.reject)
        self.export_button = primary_button(self.tr("Export"), "startExport", self)
        self.export_button.setEnabled(False)  # until the fingerprint is shown
        self.export_button.clicked.connect(self._on_export_clicked)
        row.addWidget(self.close_button)
        row.addWidget(self.export_button)
        return row

    # ------------------------------------------------------------------ ops

    def _load_fingerprint(self) -> None:
        try:
            actor = self.ctx.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: signing_fingerprint(lc, actor),
            owner=self,
            key="fingerprint",
            on_done=self._on_fingerprint_loaded,
            on_failed=self._on_fingerprint_failed,
        )

    def _on_fingerprint_loaded(self, fingerprint: str) -> None:
        self.fingerprint.setText(fingerprint)
        self.export_button.setEnabled(True)

    def _on_fingerprint_failed(self, exc: BaseException) -> None:
        self.fingerprint.setText(self.tr("unavailable"))
        self.message.show_error(exc)

    def _on_choose_clicked(self) -> None:
        folder = file_dialogs.folder(self, self.tr("Where to write the bundle"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _on_export_clicked(self) -> None:
        folder, name = self.folder.text().strip(), self.file_name.text().strip()
        if not folder or not name:
            self.message.show_error(self.tr("Choose a folder and a file name first."))
            return
        if not name.lower().endswith(".zip"):
            name += ".zip"
        try:
            actor = self.ctx.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        path = Path(folder).expanduser() / name
        app_id, since, until = self.app_filter.app_id(), self.dates.since(), self.dates.until()
        pseudonymise = self.pseudonymise.isChecked()
        self.message.clear_message()
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: export_bundle(lc, actor, path, app_id, since, until, pseudonymise),
            owner=self,
            key="export",
            on_done=self._on_export_done,
            on_failed=self._on_export_failed,
            on_progress=self._on_export_progress,
        )

    def _on_export_progress(self, done: int, total: object, _message: str) -> None:
        if isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_export_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.show_error(exc)

    def _on_export_done(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        self.progress.hide()
        self.fingerprint.setText(outcome.fingerprint)
        self.bundle_path.setText(
            self.tr(
                "Wrote {path}: events {first}–{last} ({count}, {redacted} redacted), signed by "
                "{fingerprint}. An auditor extracts it and checks the signature with:"
            ).format(
                path=outcome.path,
                first=outcome.first_seq,
                last=outcome.last_seq,
                count=outcome.count,
                redacted=outcome.redacted,
                fingerprint=outcome.fingerprint,
            )
        )
        if outcome.pseudonymised is not None:
            self.bundle_path.setText(
                self.bundle_path.text()
                + "\n"
                + self.tr("Personal data pseudonymised in {count} events.").format(
                    count=outcome.pseudonymised
                )
            )
        self.command.setText(ssh_keygen_line(outcome.verify_text))
        self.verify_text.setPlainText(outcome.verify_text)
        self.result_panel.show()
        self.close_button.setText(self.tr("Done"))
        self.close_button.setProperty("primary", True)

    def _on_finished(self, _result: int) -> None:
        self.ctx.runner.cancel_owner(self)
