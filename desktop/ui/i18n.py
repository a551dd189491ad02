"""Languages: English source strings, Japanese translations from Qt Linguist files.

The ``.ts`` sources and compiled ``.qm`` files live in ``resources/i18n``; the window
follows the system locale until the signed-in user picks a language in Settings (stored
encrypted in the workspace, never in a plaintext settings file).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.ui.resources import resource_path

LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}
DEFAULT_LANGUAGE = "en"


def system_language() -> str:
    name = QLocale.system().name()  # e.g. "ja_JP"
    code = name.split("_", 1)[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


class Translations:
    """Installs Kura's and Qt's own translations for one language at a time."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self._installed: list[QTranslator] = []

    def install(self, language: str) -> bool:
        """Switch to ``language``; False when its catalogue is missing (English shows)."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before installing translations")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        QLocale.setDefault(QLocale(self.language))
        if self.language == DEFAULT_LANGUAGE:
            return True
        ours = QTranslator(app)
        loaded = ours.load(str(resource_path("i18n", f"kura_{self.language}.qm")))
        if loaded:
            app.installTranslator(ours)
            self._installed.append(ours)
        qt_own = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{self.language}", qt_dir):
            app.installTranslator(qt_own)
            self._installed.append(qt_own)
        return loaded
