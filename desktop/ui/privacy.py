"""Keep Qt itself from writing readable files.

Qt's file dialog saves its history and last-visited folder through QSettings
(``~/.config/QtProject.conf``), and a native GTK dialog records recent files in
``recently-used.xbel``: both would leave the names of an analyst's folders and files on
disk in plain text. Kura points every QSettings file at the null device (so writes fail
quietly) and uses Qt's own dialogs. Call before the QApplication is created.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QSettings, Qt


def keep_qt_from_writing() -> None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    settings_nowhere()


def settings_nowhere() -> None:
    """Point every QSettings file at the null device (writes then fail quietly)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, os.devnull)
