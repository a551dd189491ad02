"""The personal-data policies and the workspace's own terms (no I/O but ``settings``).

Two policies apply to chat, each set per app (``AppConfig.minimise_logs`` /
``AppConfig.pseudonymise``; None follows the workspace) with a workspace default the
Owner sets:

- *minimise logs*: traces and audit payloads keep pseudonyms instead of the values (the
  user's own conversation still shows what they typed);
- *pseudonymise before the model*: the message, the history and the retrieved passages
  reach the model with placeholders; the answer the user sees has the values back.

A third, *redact at ingestion*, is a knowledge base's setting (``KbSettings.redact_pii``).

The workspace's terms (names, project code names, customer ids; a term may be a regular
expression) are found here, in core, and reported as ``PiiType.CUSTOM``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from desktop.core.errors import InputError
from desktop.core.pii import PiiEntity, PiiType
from desktop.core.ports import SettingsRepository, Transaction

MAX_TERMS = 500
MAX_TERM_LENGTH = 200

_MINIMISE = "privacy.minimise_logs"
_PSEUDONYMISE = "privacy.pseudonymise"
_TERMS = "privacy.terms"


@dataclass(frozen=True, slots=True)
class Defaults:
    """The workspace's default for apps that do not set a policy themselves."""

    minimise_logs: bool = False
    pseudonymise: bool = False

    def as_dict(self) -> dict[str, bool]:
        return {"minimise_logs": self.minimise_logs, "pseudonymise": self.pseudonymise}


@dataclass(frozen=True, slots=True)
class Term:
    """One workspace term: matched as written (case-insensitive), or as a pattern."""

    text: str
    regex: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "regex": self.regex}


def defaults(settings: SettingsRepository) -> Defaults:
    return Defaults(
        minimise_logs=settings.get(_MINIMISE) == "on",
        pseudonymise=settings.get(_PSEUDONYMISE) == "on",
    )


def set_defaults(settings: SettingsRepository, value: Defaults) -> None:
    settings.set(_MINIMISE, "on" if value.minimise_logs else "off")
    settings.set(_PSEUDONYMISE, "on" if value.pseudonymise else "off")


def terms(settings: SettingsRepository) -> tuple[Term, ...]:
    raw = settings.get(_TERMS)
    return tuple(Term(str(t["text"]), bool(t["regex"])) for t in json.loads(raw or "[]"))


def set_terms(settings: SettingsRepository, value: tuple[Term, ...]) -> None:
    settings.set(_TERMS, json.dumps([t.as_dict() for t in value], ensure_ascii=False))


def validated(value: list[Term] | tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms, blanks and duplicates dropped; an InputError names the first bad one."""
    kept: dict[tuple[str, bool], Term] = {}
    for term in value:
        text = term.text.strip()
        if not text:
            continue
        if len(text) > MAX_TERM_LENGTH:
            raise InputError("privacy.term_too_long", maximum=MAX_TERM_LENGTH)
        if term.regex:
            try:
                pattern = re.compile(text)
            except re.error as exc:
                raise InputError("privacy.term_bad_pattern", term=text, reason=str(exc)) from None
            if pattern.match(""):
                raise InputError("privacy.term_matches_nothing", term=text)
        kept.setdefault((text.casefold(), term.regex), Term(text, term.regex))
    if len(kept) > MAX_TERMS:
        raise InputError("privacy.too_many_terms", maximum=MAX_TERMS)
    return tuple(kept.values())


class TermMatcher:
    """Finds the workspace's terms in a text, as ``PiiType.CUSTOM`` entities."""

    def __init__(self, value: tuple[Term, ...]) -> None:
        parts = [t.text if t.regex else re.escape(t.text) for t in value]
        # longest literal first, so "Project Blue Sky" wins over "Blue"
        parts.sort(key=len, reverse=True)
        self._pattern = re.compile("|".join(f"(?:{p})" for p in parts), re.I) if parts else None

    def find(self, text: str) -> list[PiiEntity]:
        if self._pattern is None:
            return []
        return [
            PiiEntity(PiiType.CUSTOM, m.start(), m.end(), m.group(0), 1.0)
            for m in self._pattern.finditer(text)
            if m.end() > m.start()
        ]


def effective(
    settings: SettingsRepository, minimise_logs: bool | None, pseudonymise: bool | None
) -> Defaults:
    """An app's policies: its own where it sets them, the workspace's otherwise."""
    base = defaults(settings)
    return Defaults(
        minimise_logs=base.minimise_logs if minimise_logs is None else minimise_logs,
        pseudonymise=base.pseudonymise if pseudonymise is None else pseudonymise,
    )


def detector_needed(tx: Transaction) -> bool:
    """Whether any policy in force calls the detector: the workspace default, an app's
    own setting, or a knowledge base that redacts at ingestion (then its host is worth
    warming ahead of first use; otherwise it never starts)."""
    base = defaults(tx.settings)
    if base.minimise_logs or base.pseudonymise:
        return True
    if any(kb.settings.redact_pii for kb in tx.knowledge.list_kbs()):
        return True
    return any(a.config.minimise_logs or a.config.pseudonymise for a in tx.apps.list())
