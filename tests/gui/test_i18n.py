"""The Qt Linguist catalogues: kura_ja.ts holds every string desktop/ui marks for
translation, each one translated with the same {placeholders}; the committed .qm is
compiled from it; and installing Japanese really swaps the window's text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from desktop.ui.i18n import Translations

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
JA_TS = I18N / "kura_ja.ts"
JA_QM = I18N / "kura_ja.qm"
EN_TS = I18N / "kura_en.ts"
UI = ROOT / "desktop" / "ui"
REFRESH = "run `make translations`, translate what is new in kura_ja.ts, and commit both"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Key = tuple[str, str, str]  # context, source, disambiguation


def _tool(name: str) -> str:
    """A Qt tool from the interpreter's own environment, else from PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed next to {sys.executable} or on PATH")
    return found


def _messages(ts: Path) -> dict[Key, ET.Element]:
    """Each <message> of a .ts file by (context, source, disambiguation)."""
    found: dict[Key, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message
    return found


def _translations(message: ET.Element) -> list[str]:
    """The translation text, or each numerus form's."""
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [translation.text or ""]


def _describe(key: Key) -> str:
    context, source, comment = key
    return f"{context}: {source!r}" + (f" ({comment})" if comment else "")


@pytest.fixture(scope="module")
def ja() -> dict[Key, ET.Element]:
    return _messages(JA_TS)


def test_the_catalogues_hold_exactly_the_strings_the_ui_marks(
    ja: dict[Key, ET.Element], tmp_path: Path
) -> None:
    fresh = tmp_path / "kura_ja.ts"
    sources = sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    wanted = set(_messages(fresh))
    new = sorted(wanted - set(ja))
    gone = sorted(set(ja) - wanted)
    assert not new and not gone, (
        f"kura_ja.ts is out of date ({REFRESH}).\n"
        + "".join(f"  not in kura_ja.ts: {_describe(k)}\n" for k in new)
        + "".join(f"  no longer in the code: {_describe(k)}\n" for k in gone)
    )
    assert set(_messages(EN_TS)) == wanted, f"kura_en.ts is out of date ({REFRESH})"


def test_every_japanese_message_is_translated_and_current(ja: dict[Key, ET.Element]) -> None:
    assert ja, "kura_ja.ts has no messages"
    problems = []
    for key, message in ja.items():
        translation = message.find("translation")
        assert translation is not None
        state = translation.get("type")
        if state:
            problems.append(f"  {state}: {_describe(key)}")
        elif not all(text.strip() for text in _translations(message)):
            problems.append(f"  empty: {_describe(key)}")
    assert not problems, "untranslated Japanese strings:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_their_source(ja: dict[Key, ET.Element]) -> None:
    problems = []
    for key, message in ja.items():
        wanted = set(PLACEHOLDER.findall(key[1]))
        for text in _translations(message):
            got = set(PLACEHOLDER.findall(text))
            if got != wanted:
                problems.append(f"  {_describe(key)}: {sorted(wanted)} -> {text!r}")
    assert not problems, "placeholders differ from the source:\n" + "\n".join(problems)


def test_the_catalogues_name_no_absolute_paths() -> None:
    for ts in (JA_TS, EN_TS):
        for location in ET.parse(ts).getroot().iter("location"):
            filename = location.get("filename", "")
            assert not Path(filename).is_absolute() and ":" not in filename, (
                f"{ts.name} names {filename!r}: {REFRESH} (lupdate -locations relative)"
            )


def test_the_compiled_japanese_catalogue_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / "kura_ja.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(JA_TS), "-qm", str(compiled)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert compiled.read_bytes() == JA_QM.read_bytes(), f"kura_ja.qm is stale: {REFRESH}"


def test_installing_japanese_translates_the_window_and_english_restores_it(qapp: Any) -> None:
    translations = Translations()
    try:
        assert translations.install("ja") is True
        assert QCoreApplication.translate("MainWindow", "Chat") == "チャット"
        assert QCoreApplication.translate("MembersView", "Owner") == "オーナー"
    finally:
        assert translations.install("en") is True
    assert QCoreApplication.translate("MainWindow", "Chat") == "Chat"
