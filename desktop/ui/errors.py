"""The one error presenter (STYLE.md §6): Cancelled shows nothing, an AppError shows its
one-line message, anything else a generic message with an incident id (details go only
to the log). Input problems show inline, in the panel that caused them."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.core.errors import AppError, Cancelled
from desktop.core.messages import Language, Surface, render
from desktop.ui.plain import PlainLabel, warn

log = logging.getLogger(__name__)


class FormProblem(Exception):
    """An input problem the window finds itself (two passwords differ, a field is
    empty), worded and translated where it is raised with ``tr``; never reaches a
    service. Errors from services are ``AppError`` with a catalogue code."""


def describe(exc: BaseException) -> str | None:
    """The text a user sees for ``exc``; None for a cancellation."""
    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, FormProblem):
        return str(exc)
    if isinstance(exc, AppError):
        return exc.render(ui_language(), Surface.GUI)
    incident = uuid.uuid4().hex[:8]
    log.error("incident %s: %s", incident, type(exc).__name__, exc_info=exc)
    return render("common.gui_internal", {"incident": incident}, ui_language(), Surface.GUI)


def ui_language() -> Language:
    """The window's language (``Translations.install`` sets the default locale)."""
    return Language.JA if QLocale().name().startswith("ja") else Language.EN


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A modal message for errors that are not about the panel's own input."""
    text = describe(exc)
    if text is None:
        return
    warn(parent, QCoreApplication.translate("Errors", "Kura"), text)


class InlineMessage(PlainLabel):
    """A strip inside a panel for input problems and states (hidden when empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineMessage")
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else describe(exc)
        if text is None:
            self.clear_message()
            return
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def _show(self, text: str, kind: str) -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()
