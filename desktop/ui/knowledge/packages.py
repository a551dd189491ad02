"""Export and import signed, encrypted knowledge-base packages (Knowledge screen).

Export: the receiving workspaces' exchange keys (or a passphrase) and a file to write;
the package is signed and encrypted on the ``db`` lane and written under a new name.
Import: this workspace's exchange key is shown (to give to senders); a package file, a
target (a new knowledge base, or new versions of one of yours) and its passphrase if it
has one; it is decrypted, checked and stored on the ``ingest`` lane (it may re-embed).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError, Cancelled, InputError
from desktop.core.knowledge_models import KnowledgeBase
from desktop.core.models import Actor
from desktop.core.services.kb_packages import Exported, Imported
from desktop.files import refuse_existing, write_new_file
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext, Task
from desktop.ui.widgets import primary_button

FILTER = "Kura knowledge-base packages (*.kbpkg);;All files (*)"


def export_package(
    lc: LaneContext,
    actor: Actor,
    kb_id: int,
    path: Path,
    recipients: list[str],
    passphrase: str | None,
) -> Exported:
    if path.exists():  # before exporting: a refused write should leave no audit event
        raise refuse_existing(path)
    return lc.ws.kb_packages.export(
        actor,
        kb_id,
        lambda data: write_new_file(path, data),
        recipients=recipients,
        passphrase=passphrase,
    )


def import_package(
    lc: LaneContext, actor: Actor, path: Path, into: int | None, passphrase: str | None
) -> Imported:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError("cli.cannot_read_path", path=str(path), reason=reason) from None
    return lc.ws.kb_packages.import_package(
        actor, data, into=into, passphrase=passphrase, cancel=lc.token, progress=lc.progress
    )


class _PackageDialog(QDialog):
    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.resize(600, 420)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.path = QLineEdit(self)
        self.path.setObjectName("packagePath")
        self.choose = QPushButton(self.tr("Choose…"), self)
        self.choose.setObjectName("choosePackage")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.form.addRow(self.tr("File"), row)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("packagePassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = InlineMessage(self)
        self.result_label = PlainLabel(self)
        self.result_label.setObjectName("packageResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _finish_layout(self, action: str, name: str) -> None:
        self.layout_.addWidget(self.progress)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.result_label, 1)
        self.buttons = buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        self.action_button = primary_button(action, name, self)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.action_button)
        self.layout_.addLayout(buttons)

    def _actor(self) -> Actor | None:
        try:
            return self.ctx.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return None

    def _start(self) -> None:
        self.message.clear_message()
        self.action_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.action_button.setEnabled(True)
        self.message.show_error(exc)

    def _on_progress(self, done: int, total: object, _message: str) -> None:
        if isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)


class ExportPackageDialog(_PackageDialog):
    """Recipients or a passphrase, a file, then Export."""

    def __init__(self, ctx: UiContext, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Export {name} as a package").format(name=kb.name), parent)
        self.setObjectName("exportPackageDialog")
        self.kb = kb
        self.outcome: Exported | None = None
        self.recipients = QPlainTextEdit(self)
        self.recipients.setObjectName("packageRecipients")
        self.recipients.setPlaceholderText(
            self.tr("age1… — the exchange key of each receiving workspace, one per line")
        )
        self.form.insertRow(0, self.tr("Recipients"), self.recipients)
        self.passphrase.setPlaceholderText(self.tr("or a passphrase instead of recipients"))
        self.form.addRow(self.tr("Passphrase"), self.passphrase)
        self._finish_layout(self.tr("Export"), "startPackageExport")
        self.choose.clicked.connect(self._on_choose_clicked)
        self.action_button.clicked.connect(self._on_action_clicked)

    def _on_choose_clicked(self) -> None:
        chosen = file_dialogs.save_file(
            self, self.tr("Where to write the package"), self.path.text(), FILTER
        )
        if chosen:
            self.path.setText(chosen)

    def _on_action_clicked(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.show_error(self.tr("Choose where to write the package first."))
            return
        actor = self._actor()
        if actor is None:
            return
        path = Path(text).expanduser()
        recipients = [r.strip() for r in self.recipients.toPlainText().splitlines() if r.strip()]
        passphrase = self.passphrase.text() or None
        kb_id = self.kb.id
        self._start()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: export_package(lc, actor, kb_id, path, recipients, passphrase),
            owner=self,
            key="export",
            on_done=self._on_done,
            on_failed=self._on_failed,
        )

    def _on_done(self, outcome: Exported) -> None:
        self.outcome = outcome
        self.progress.hide()
        counts = outcome.counts
        self.result_label.setText(
            self.tr(
                "Wrote {path}: {documents} documents, {versions} versions, {chunks} passages, "
                "signed by this workspace. SHA-256 {sha256}"
            ).format(path=self.path.text().strip(), sha256=outcome.sha256, **counts)
        )
        self.close_button.setText(self.tr("Done"))


class ImportPackageDialog(_PackageDialog):
    """This workspace's exchange key; a package, a target and its passphrase; Import."""

    package_did_import = Signal(int)

    def __init__(
        self, ctx: UiContext, kbs: list[KnowledgeBase], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("Import a knowledge-base package"), parent)
        self.setObjectName("importPackageDialog")
        self.outcome: Imported | None = None
        self.exchange_key = QLineEdit(self)
        self.exchange_key.setObjectName("exchangeKey")
        self.exchange_key.setReadOnly(True)
        self.exchange_key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.form.insertRow(0, self.tr("This workspace's exchange key"), self.exchange_key)
        hint = PlainLabel(
            self.tr("Give this key to the sender: they export the package to it."), self
        )
        hint.setWordWrap(True)
        self.form.insertRow(1, "", hint)
        self.target = QComboBox(self)
        self.target.setObjectName("packageTarget")
        self.target.addItem(self.tr("A new knowledge base"), None)
        for kb in kbs:
            self.target.addItem(self.tr("New versions in {name}").format(name=kb.name), kb.id)
        self.form.addRow(self.tr("Import as"), self.target)
        self.passphrase.setPlaceholderText(self.tr("only if the package has one"))
        self.form.addRow(self.tr("Passphrase"), self.passphrase)
        self._finish_layout(self.tr("Import"), "startPackageImport")
        self.cancel_button = QPushButton(self.tr("Cancel import"), self)
        self.cancel_button.setObjectName("cancelPackageImport")
        self.cancel_button.hide()
        self.buttons.insertWidget(1, self.cancel_button)
        self._task: Task | None = None
        self.choose.clicked.connect(self._on_choose_clicked)
        self.action_button.clicked.connect(self._on_action_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self._load_key()

    def _load_key(self) -> None:
        actor = self._actor()
        if actor is None:
            return
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.kb_packages.keys.public_key(actor),
            owner=self,
            key="exchange-key",
            on_done=self.exchange_key.setText,
            on_failed=self.message.show_error,
        )

    def _on_choose_clicked(self) -> None:
        chosen = file_dialogs.open_file(self, self.tr("Choose a package"), self.path.text(), FILTER)
        if chosen:
            self.path.setText(chosen)

    def _on_action_clicked(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.show_error(self.tr("Choose a package file first."))
            return
        actor = self._actor()
        if actor is None:
            return
        path = Path(text).expanduser()
        into = self.target.currentData()
        passphrase = self.passphrase.text() or None
        self._start()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._task = self.ctx.runner.run(
            Lane.INGEST,
            lambda lc: import_package(lc, actor, path, into, passphrase),
            owner=self,
            key="import",
            on_done=self._on_done,
            on_failed=self._on_import_failed,
            on_progress=self._on_progress,
        )

    def _on_cancel_clicked(self) -> None:
        """Stop the import: it stores everything in one transaction at the end, so a
        cancelled import leaves nothing behind."""
        if self._task is not None:
            self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.message.show_info(self.tr("Cancelling… nothing is imported."))

    def _on_import_failed(self, exc: BaseException) -> None:
        self._task = None
        self.cancel_button.hide()
        if isinstance(exc, Cancelled):
            self.progress.hide()
            self.action_button.setEnabled(True)
            self.message.show_info(self.tr("Import cancelled: nothing was imported."))
            return
        self._on_failed(exc)

    def reject(self) -> None:
        """Closing the dialog while it imports cancels the import."""
        if self._task is not None:
            self._task.cancel()
        super().reject()

    def _on_done(self, outcome: Imported) -> None:
        self._task = None
        self.cancel_button.hide()
        self.outcome = outcome
        self.progress.hide()
        text = self.tr(
            "Imported into {name}: {added} versions added, {skipped} already present; "
            "signed by {signer}."
        ).format(
            name=outcome.kb.name,
            added=outcome.added,
            skipped=outcome.skipped,
            signer=outcome.signer,
        )
        if outcome.reembedded:
            text += " " + self.tr("Its passages were embedded again with this workspace's model.")
        self.result_label.setText(text)
        self.close_button.setText(self.tr("Done"))
        self.package_did_import.emit(outcome.kb.id)
