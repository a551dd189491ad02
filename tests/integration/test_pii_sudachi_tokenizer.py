"""Detection's fast path: the words, offsets and SudachiPy tags that
``SudachiTokenizer`` gives are exactly those of GiNZA's spaCy tokenizer (which the
detector ran before, building a spaCy ``Doc``), so detection finds the same; no keywords
for an enhancer that is not run; and torch stays out of the detector's process."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import warnings
from importlib.util import find_spec
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.integration.cli_support import REPO
from tests.pii_support import PII_DEV, load_dev

pytestmark = pytest.mark.slow

if find_spec("ginza") is None or find_spec("presidio_analyzer") is None:
    pytest.skip("GiNZA and presidio-analyzer are not installed", allow_module_level=True)

TEXTS = [
    "先日、営業部の森田真由美さんから説明がありました。連絡先は03-6812-4470です。",
    "山田 太郎さん\u3000\u3000と田中花子様（taro@example.co.jp、090-1234-5678）",
    "  leading spaces,\ttabs\t\tand  double  spaces: Daniel Whitmore, +81 3-1234-5678",
    "〒460-0008 愛知県名古屋市中区栄三丁目5番12号\n\n\nマイナンバー 123456789018",
    "鈴木・一郎 / 佐藤 / 高橋さん / カード 4111 1111 1111 1111 / 192.168.10.1",
    "trailing space ",
    " ",
    "",
    "\u3000",
]
#: Pieces that a generated text is made of: names, honorifics, every kind of whitespace
#: alone and in runs, punctuation, Latin words and numbers.
PIECES = [
    "山田", "太郎", "さん", "様", "佐藤", "花子", "・", "。", "、", "の", "電話", "東京都",
    "千代田区", "1-2-3", "03-1234-5678", "Smith", "John", "a", "12", "（", "）",
    " ", "  ", "   ", "\t", "\u3000", "\n", "\n\n", " \n", "\r\n", "\u00a0",
]  # fmt: skip


@pytest.fixture(scope="module")
def tokenizers() -> tuple[Any, Any]:
    return _tokenizers()


def _same(tokenizers: tuple[Any, Any], text: str) -> None:
    ours, spacys = tokenizers
    assert [tuple(t) for t in ours(text)] == [(t.text, t.idx, t.tag_) for t in spacys(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_kuras_tokenizer_gives_ginzas_words_offsets_and_tags(
    tokenizers: tuple[Any, Any], text: str
) -> None:
    _same(tokenizers, text)


def test_kuras_tokenizer_agrees_with_ginza_on_the_dev_set(tokenizers: tuple[Any, Any]) -> None:
    if not PII_DEV.is_file():
        pytest.skip(f"no dev set at ../shared/eval beside the repository ({PII_DEV})")
    for row in load_dev():
        _same(tokenizers, row["text"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_kuras_tokenizer_agrees_with_ginza_on_generated_texts(pieces: list[str]) -> None:
    _same(_tokenizers(), "".join(pieces))


_CACHE: list[tuple[Any, Any]] = []


def _tokenizers() -> tuple[Any, Any]:
    """(Kura's tokenizer, GiNZA's spaCy pipeline reduced to its tokenizer), loaded once
    (Hypothesis calls its test many times). ``desktop.pii`` is imported first: it imports
    urllib3 without the IPv6 probe that the network guard refuses."""
    if not _CACHE:
        from desktop.pii.detector import _EXCLUDED_PIPES, MODEL, SudachiTokenizer

        spacy = importlib.import_module("spacy")  # after desktop.pii, see above

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            nlp = spacy.load(MODEL, exclude=[*_EXCLUDED_PIPES, "tok2vec", "ner"])
        _CACHE.append((SudachiTokenizer(), nlp))
    return _CACHE[0]


def test_no_keywords_are_computed_for_the_context_enhancer_kura_does_not_run() -> None:
    from desktop.pii.detector import PresidioPiiDetector

    detector = PresidioPiiDetector()
    artifacts = detector._analyzer.nlp_engine.process_text("会議室で山田太郎さんと話した", "ja")
    assert artifacts.keywords == []
    assert [e.text for e in detector.detect_one("会議室で山田太郎さんと話した")] == ["山田太郎"]


def test_the_detector_imports_neither_torch_nor_transformers_and_leaves_them_importable() -> None:
    """In a fresh process: loading and running the detector imports no torch (Presidio's
    device probe and thinc would); a later ``import torch`` still works."""
    code = (
        "import json, sys\n"
        "from desktop.pii.detector import PresidioPiiDetector\n"
        "found = PresidioPiiDetector().detect(['電話 03-3581-4321'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers'})\n"
        "import torch\n"
        "print(json.dumps({'types': [e.type.value for e in found[0]], 'heavy': heavy,\n"
        "                  'torch': torch.__name__}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == {
        "types": ["PHONE_NUMBER"],
        "heavy": [],
        "torch": "torch",
    }
