"""The one place a recovery key is ever shown: at workspace creation and after a rekey.

The key lives only in the dialog's text widget while the dialog is open; Copy, Save and
Print read it from there. The clipboard is cleared again after ``CLEAR_AFTER_MS``, but
only while it still holds the key (what the user copied since is left alone); the check
compares SHA-256 digests, so nothing keeps the key for that long. "Save as…" is the one
place Kura writes a recovery key in plain text, and only to a file the user chose.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import file_dialogs
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.widgets import primary_button

try:  # PySide6-Essentials ships QtPrintSupport on most platforms; hide Print if not
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover - depends on the Qt build
    QPrintDialog = None  # type: ignore[assignment,misc]
    QPrinter = None  # type: ignore[assignment,misc]

#: Tells clipboard managers (Klipper, and others that honour it) not to keep the text.
_CLIPBOARD_MANAGER_HINT = "x-kde-passwordManagerHint"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _clear_clipboard_if(digest: bytes) -> None:
    """Empty the clipboard when it still holds the text with this digest."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None and _digest(clipboard.text()) == digest:
        clipboard.clear()


def copy_secret(text: str, clear_after_ms: int) -> None:
    """Put ``text`` on the clipboard, marked secret, and take it off again later."""
    data = QMimeData()
    data.setText(text)
    data.setData(_CLIPBOARD_MANAGER_HINT, b"secret")
    QGuiApplication.clipboard().setMimeData(data)
    digest = _digest(text)
    # No receiver: the timer outlives the dialog, which may be gone in 30 seconds.
    QTimer.singleShot(clear_after_ms, lambda: _clear_clipboard_if(digest))


class RecoveryKeyDialog(QDialog):
    """Shows a recovery key once. The user must confirm storing it before continuing;
    Escape and the close button do nothing until then."""

    CLEAR_AFTER_MS = 30_000

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Your recovery key"))
        self.setMinimumWidth(520)
        self._text = QPlainTextEdit(self)
        self._text.setObjectName("recoveryKeyText")
        self._text.setReadOnly(True)
        self._text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._text.setPlainText(recovery_key)
        self._text.setFixedHeight(self._text.fontMetrics().lineSpacing() * 3 + 16)
        self._message = InlineMessage(self)
        self._stored = QCheckBox(self.tr("I have stored the recovery key somewhere safe"), self)
        self._stored.setObjectName("storedCheck")
        self._stored.toggled.connect(self._on_stored_toggled)
        self._continue = primary_button(self.tr("Continue"), "continueButton", self)
        self._continue.setEnabled(False)
        self._continue.clicked.connect(self.accept)
        self._build()

    def _build(self) -> None:
        intro = PlainLabel(
            self.tr(
                "This key opens the workspace if the key in your system keyring is ever "
                "lost. Kura shows it only now and cannot show it again. Keep it offline, "
                "for example printed and stored in a safe place."
            ),
            self,
        )
        intro.setWordWrap(True)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for name, label, slot in (
            ("copyButton", self.tr("Copy"), self._on_copy_clicked),
            ("saveButton", self.tr("Save as…"), self._on_save_clicked),
            ("printButton", self.tr("Print…"), self._on_print_clicked),
        ):
            button = QPushButton(label, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setVisible(name != "printButton" or QPrintDialog is not None)
            actions.addWidget(button)
        actions.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self._stored, 1)
        footer.addWidget(self._continue)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self._text)
        layout.addLayout(actions)
        layout.addWidget(self._message)
        layout.addSpacing(8)
        layout.addLayout(footer)

    def _key(self) -> str:
        return self._text.toPlainText().strip()

    # ------------------------------------------------------------------ slots

    def _on_stored_toggled(self, checked: bool) -> None:
        self._continue.setEnabled(checked)

    def _on_copy_clicked(self) -> None:
        copy_secret(self._key(), self.CLEAR_AFTER_MS)
        self._message.show_info(
            self.tr("Copied. The clipboard is cleared in {seconds} seconds.").format(
                seconds=max(1, self.CLEAR_AFTER_MS // 1000)
            )
        )

    def _on_save_clicked(self) -> None:
        path = file_dialogs.save_file(
            self,
            self.tr("Save the recovery key"),
            "kura-recovery-key.txt",
            self.tr("Text files (*.txt)"),
        )
        if not path:
            return
        # A few hundred bytes to a file the user just picked: written here, not on a
        # lane, because this dialog also serves the first-run wizard before any lane
        # has a workspace.
        try:
            _write_private(Path(path), self._document_text())
        except OSError as exc:
            self._message.show_error(
                self.tr("Could not save to {path}: {reason}. Choose another place.").format(
                    path=path, reason=exc.strerror or type(exc).__name__
                )
            )
            return
        self._message.show_info(self.tr("Saved to {path}.").format(path=path))

    def _on_print_clicked(self) -> None:
        if QPrinter is None or QPrintDialog is None:
            return
        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setDefaultFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        document.setPlainText(self._document_text())
        document.print_(printer)
        document.clear()

    def _document_text(self) -> str:
        return "{title}\n\n    {key}\n\n{note}\n".format(
            title=self.tr("Kura workspace recovery key"),
            key=self._key(),
            note=self.tr(
                "It opens the workspace when the system keyring item is lost. "
                "Anyone holding it and the workspace folder can read the workspace."
            ),
        )

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        """Escape and the close button: ignored until the user confirmed and continued."""

    def done(self, result: int) -> None:
        super().done(result)
        self._text.clear()


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the user only (replacing its content)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # the mode of open() applies only to a new file
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
