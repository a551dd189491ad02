"""Detection's fast path: the lean Japanese tokenizer (words, spacing and SudachiPy's tags)
finds exactly what spaCy's full one finds; no keywords for an enhancer that is not run."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

pytestmark = pytest.mark.slow

if find_spec("ginza") is None or find_spec("presidio_analyzer") is None:
    pytest.skip("GiNZA and presidio-analyzer are not installed", allow_module_level=True)

TEXTS = [
    "先日、営業部の森田真由美さんから説明がありました。連絡先は03-6812-4470です。",
    "山田 太郎さん\u3000\u3000と田中花子様（taro@example.co.jp、090-1234-5678）",
    "  leading spaces,\ttabs\t\tand  double  spaces: Daniel Whitmore, +81 3-1234-5678",
    "〒460-0008 愛知県名古屋市中区栄三丁目5番12号\n\n\nマイナンバー 123456789018",
    "鈴木・一郎 / 佐藤 / 高橋さん / カード 4111 1111 1111 1111 / 192.168.10.1",
    "",
    "\u3000",
]


def test_the_lean_tokenizer_finds_what_spacys_japanese_tokenizer_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.pii import detector

    lean = detector.PresidioPiiDetector()
    assert isinstance(lean._analyzer.nlp_engine.nlp["ja"].tokenizer, detector.LeanTokenizer)
    monkeypatch.setattr(detector, "LeanTokenizer", lambda inner: inner)
    full = detector.PresidioPiiDetector()
    assert lean.detect(TEXTS) == full.detect(TEXTS)
    assert any(lean.detect(TEXTS[:2]))


def test_no_keywords_are_computed_for_the_context_enhancer_kura_does_not_run() -> None:
    from desktop.pii.detector import PresidioPiiDetector

    detector = PresidioPiiDetector()
    artifacts = detector._analyzer.nlp_engine.process_text("会議室で山田太郎さんと話した", "ja")
    assert artifacts.keywords == []
    assert [e.text for e in detector.detect_one("会議室で山田太郎さんと話した")] == ["山田太郎"]
