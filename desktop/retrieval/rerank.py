"""Cross-encoder reranker: scores (query, passage) pairs with a local model, offline only.

No reranker is packaged: a knowledge base names a local sentence-transformers
``CrossEncoder`` folder when the user provides one. Like the embedder, the constructor
is cheap and ``warm_up()`` (called by the first ``scores``) imports
sentence_transformers and loads the model with ``local_files_only=True``.

Scores are the model's single logit passed through a sigmoid, so they lie in 0..1
whatever activation the model's own config names.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from desktop.core.errors import InputError, ModelLoadFailed, RerankFailed
from desktop.retrieval.embedder import check_model_dir, import_sentence_transformers, pick_device


def _raw_logits(logits: Any) -> Any:
    """Identity activation: ``predict`` hands back the logits; ``sigmoid`` maps them."""
    return logits


def sigmoid(logits: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A numerically stable logistic function, elementwise."""
    x = np.asarray(logits, dtype=np.float64)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


class CrossEncoderReranker:
    """``Reranker`` on a local sentence-transformers CrossEncoder folder. Thread-safe."""

    def __init__(
        self,
        model_dir: str,
        *,
        batch_size: int = 16,
        device: str | None = None,
        max_length: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise InputError("knowledge.reranker_batch_size")
        self._folder = Path(model_dir)
        self._batch_size = batch_size
        self._device = device
        self._max_length = max_length
        self._lock = threading.Lock()
        self._model: Any = None

    @property
    def folder(self) -> Path:
        return self._folder

    def warm_up(self) -> None:
        """Load the model now; no-op when loaded. ModelNotFound / InputError /
        ModelLoadFailed for a missing folder, a folder that is no model, a failed load."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _load(self) -> Any:
        folder = self._folder
        check_model_dir(folder, marker="config.json", kind="reranker model")
        st = import_sentence_transformers()
        try:
            model = st.CrossEncoder(
                str(folder),
                device=pick_device(self._device),
                local_files_only=True,
                trust_remote_code=False,
                max_length=self._max_length,
            )
            labels = int(model.num_labels)
        except Exception as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise ModelLoadFailed(
                "knowledge.reranker_load_failed",
                folder=folder.name,
                reason=reason,
                details=repr(exc),
            ) from exc
        if labels != 1:
            raise InputError("knowledge.not_a_reranker", folder=folder.name, labels=labels)
        return model

    def close(self) -> None:
        """Release the model; the next ``scores`` loads it again."""
        with self._lock:
            self._model = None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """Relevance of each text to ``query``, 0..1, in the order given."""
        if not texts:
            return []
        self.warm_up()
        pairs = [(query, text) for text in texts]
        with self._lock:
            model = self._model
            if model is None:
                raise RerankFailed("knowledge.reranker_unloaded")
            try:
                logits = model.predict(
                    pairs,
                    batch_size=self._batch_size,
                    show_progress_bar=False,
                    activation_fn=_raw_logits,
                    convert_to_numpy=True,
                )
            except Exception as exc:
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise RerankFailed(
                    "knowledge.reranker_failed", reason=reason, details=repr(exc)
                ) from exc
        return [float(s) for s in sigmoid(np.asarray(logits).reshape(-1))]
