"""Every message an ``AppError`` shows, in English and Japanese, from one catalogue.

An error carries a stable code (``"accounts.wrong_password"``) and its parameters; the
words live here, one module per area, each entry in both languages. Where the remedy
differs between the front ends, the entry words it twice: as a command for the CLI
(``kura kb list``) and as the place to click for the GUI (the Knowledge list); the
entry's text puts it where ``{remedy}`` stands.

A front end renders an error in its user's language: the GUI in the language chosen in
Settings, the CLI from ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` (POSIX order). Parameters
are user data (names, counts, paths) and are shown as they are.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class Language(enum.StrEnum):
    EN = "en"
    JA = "ja"


class Surface(enum.StrEnum):
    """Which front end shows the message: remedies are worded for it."""

    CLI = "cli"
    GUI = "gui"


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    ja: str

    def get(self, language: Language) -> str:
        return self.ja if language is Language.JA else self.en


@dataclass(frozen=True, slots=True)
class Entry:
    """One message. ``cli`` and ``gui`` are the remedy as each front end words it;
    given, both are, and ``text`` holds ``{remedy}`` where it goes."""

    text: Text
    cli: Text | None = None
    gui: Text | None = None


class Renderable(Protocol):
    """A parameter that is itself a message (an error wrapped in another)."""

    def render(self, language: Language = ..., surface: Surface = ...) -> str: ...


@dataclass(frozen=True, slots=True)
class Term:
    """A parameter that is itself a catalogue entry (a role's name, a permission's verb),
    rendered in the message's language."""

    code: str

    def render(self, language: Language = Language.EN, surface: Surface = Surface.CLI) -> str:
        return render(self.code, {}, language, surface)


def language_from_environment(environ: Mapping[str, str]) -> Language:
    """The CLI's language: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return Language.JA if value.lower().startswith("ja") else Language.EN
    return Language.EN


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses (``{remedy}`` included)."""
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    }


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:  # a wrong call site still shows the words
        return "{" + key + "}"


def render(
    code: str,
    params: Mapping[str, object],
    language: Language = Language.EN,
    surface: Surface = Surface.CLI,
) -> str:
    """The message for ``code`` in ``language``, its remedy worded for ``surface``."""
    from desktop.core.messages.catalogue import CATALOGUE

    entry = CATALOGUE.get(code)
    if entry is None:
        return code  # not a code (tests keep every raise site on the catalogue)
    values = _Params()
    for key, value in params.items():
        render_value = getattr(value, "render", None)
        values[key] = render_value(language, surface) if callable(render_value) else value
    remedy = entry.cli if surface is Surface.CLI else entry.gui
    if remedy is not None:
        values["remedy"] = remedy.get(language).format_map(values)
    try:
        return entry.text.get(language).format_map(values)
    except (ValueError, IndexError, AttributeError):
        return entry.text.get(language)


__all__ = [
    "Entry",
    "Language",
    "Renderable",
    "Surface",
    "Term",
    "Text",
    "language_from_environment",
    "placeholders",
    "render",
]
