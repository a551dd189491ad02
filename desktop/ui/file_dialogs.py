"""Every file dialog Kura opens, through one place that remembers nothing on disk.

A native GTK dialog records the files and folders it picked in ``recently-used.xbel``,
and Qt's own dialog saves its history, last folder and sidebar to ``QtProject.conf``
when it closes: both would leave the names of an analyst's folders and files on disk in
plain text. These helpers always use Qt's own dialog and point Qt's settings files at
the null device first (``privacy.keep_qt_from_writing`` does that at start-up too; doing
it here as well keeps every window, test and tool that opens a dialog covered).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui.privacy import settings_nowhere

_QT_OWN = QFileDialog.Option.DontUseNativeDialog


def open_file(parent: QWidget | None, caption: str, directory: str = "", filters: str = "") -> str:
    """One existing file's path; "" when cancelled."""
    settings_nowhere()
    path, _ = QFileDialog.getOpenFileName(parent, caption, directory, filters, "", _QT_OWN)
    return path


def open_files(
    parent: QWidget | None, caption: str, directory: str = "", filters: str = ""
) -> list[str]:
    """Existing files' paths; [] when cancelled."""
    settings_nowhere()
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, directory, filters, "", _QT_OWN)
    return list(paths)


def save_file(parent: QWidget | None, caption: str, directory: str = "", filters: str = "") -> str:
    """A path to write; "" when cancelled."""
    settings_nowhere()
    path, _ = QFileDialog.getSaveFileName(parent, caption, directory, filters, "", _QT_OWN)
    return path


def folder(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """An existing folder; "" when cancelled."""
    settings_nowhere()
    options = _QT_OWN | QFileDialog.Option.ShowDirsOnly
    return QFileDialog.getExistingDirectory(parent, caption, directory, options)
