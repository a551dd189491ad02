"""sentence-transformers adapter: text to L2-normalised float32 vectors, offline only.

``sentence_transformers`` (and with it torch) is imported lazily by ``warm_up()``, which
``embed()`` and ``dimension()`` call on first use, so constructing an embedder costs
nothing and the packaged app starts fast. Models load from a local folder only
(``local_files_only=True``, ``trust_remote_code=False``): nothing is downloaded and
nothing is written to a cache.

``model_id()`` names the folder and fingerprints its contents without loading it, so the
vectors of two different models are never mixed in one index.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from desktop.core.errors import EmbeddingFailed, InputError, ModelLoadFailed
from desktop.retrieval.model_folder import (
    FolderIdentity,
    ModelFolder,
    check_model_dir,
    default_model_dir,
    folder_fingerprint,
    model_card_languages,
)

__all__ = [
    "EmbeddingFailed",
    "SentenceTransformerEmbedder",
    "check_model_dir",
    "default_model_dir",
    "folder_fingerprint",
    "import_sentence_transformers",
    "model_card_languages",
    "pick_device",
]


@functools.cache
def import_sentence_transformers() -> ModuleType:
    """Import sentence_transformers once, with a clear error when it is missing."""
    try:
        import sentence_transformers
    except ImportError as exc:
        raise ModelLoadFailed(
            "knowledge.embedding_engine_missing",
            details=repr(exc),
        ) from exc
    try:  # transformers draws a "Loading weights" bar on stderr; Kura shows its own progress
        from transformers.utils import logging as transformers_logging

        disable: Callable[[], None] = transformers_logging.disable_progress_bar
        disable()
    except (ImportError, AttributeError):  # pragma: no cover - other transformers versions
        pass
    return sentence_transformers


def pick_device(requested: str | None) -> str:
    """``requested``, else ``cuda`` when torch sees a GPU, else ``cpu``."""
    if requested:
        return requested
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEmbedder(FolderIdentity):
    """``Embedder`` on a local sentence-transformers folder (default: all-MiniLM-L6-v2).

    Thread-safe: loading and encoding run under one lock. The constructor touches
    neither the disk nor torch.
    """

    def __init__(
        self, model_dir: str | None = None, *, batch_size: int = 32, device: str | None = None
    ) -> None:
        if batch_size < 1:
            raise InputError("knowledge.embedding_batch_size")
        self._identity = ModelFolder(model_dir)
        self._batch_size = batch_size
        self._device = device
        self._lock = threading.Lock()
        self._model: Any = None
        self._dimension: int | None = None
        self._max_tokens = 0

    def dimension(self) -> int:
        """Length of each vector (loads the model on first call)."""
        self.warm_up()
        assert self._dimension is not None
        return self._dimension

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def max_tokens(self) -> int:
        """Word pieces the model reads per text (loads the model); the rest is cut off.

        all-MiniLM-L6-v2 reads 256: about 1,000 characters of English but only about
        250 of Japanese, which its vocabulary splits into one piece per character.
        """
        self.warm_up()
        return self._max_tokens

    # ------------------------------------------------------------------ loading

    def warm_up(self) -> None:
        """Load the model now (on a worker, after the window shows); no-op when loaded."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is None:
                model, self._dimension = self._load()
                self._max_tokens = int(getattr(model, "max_seq_length", 0) or 0)
                self._model = model

    def _load(self) -> tuple[Any, int]:
        folder = self.folder
        check_model_dir(folder, kind="embedding model")
        st = import_sentence_transformers()
        try:
            model = st.SentenceTransformer(
                str(folder),
                device=pick_device(self._device),
                local_files_only=True,
                trust_remote_code=False,
            )
            getter = getattr(model, "get_embedding_dimension", None) or (
                model.get_sentence_embedding_dimension
            )
            dimension = getter()
        except Exception as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise ModelLoadFailed(
                "knowledge.embedding_load_failed",
                folder=folder.name,
                reason=reason,
                details=repr(exc),
            ) from exc
        if not isinstance(dimension, int) or dimension < 1:
            raise ModelLoadFailed("knowledge.embedding_no_dimension", folder=folder.name)
        return model, dimension

    def close(self) -> None:
        """Release the model; the next ``embed`` loads it again."""
        with self._lock:
            self._model = None

    # ------------------------------------------------------------------ encoding

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """A C-contiguous float32 array (len(texts), dimension), rows L2-normalised."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise InputError("knowledge.embed_needs_strings")
        self.warm_up()
        assert self._dimension is not None
        if len(texts) == 0:
            return np.zeros((0, self._dimension), dtype=np.float32)
        with self._lock:
            model = self._model
            if model is None:  # closed between warm_up and here
                raise EmbeddingFailed("knowledge.embedding_unloaded")
            try:
                vectors = model.encode(
                    list(texts),
                    batch_size=self._batch_size,
                    show_progress_bar=False,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                )
            except Exception as exc:
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise EmbeddingFailed(
                    "knowledge.embedding_failed", reason=reason, details=repr(exc)
                ) from exc
        out = np.ascontiguousarray(vectors, dtype=np.float32)
        if out.shape != (len(texts), self._dimension):
            raise EmbeddingFailed(
                "knowledge.embedding_bad_shape",
                shape=str(out.shape),
                rows=len(texts),
                dimension=self._dimension,
            )
        return out
