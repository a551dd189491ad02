"""Deterministic stand-ins for the retrieval adapters (fakes over mocks)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

FloatMatrix = np.ndarray[Any, np.dtype[np.float32]]


def _unit_rows(matrix: np.ndarray[Any, Any]) -> FloatMatrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


def text_seed(text: str) -> int:
    """A stable 64-bit seed from a text (SHA-256; not Python's salted ``hash``)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")


def synthetic_vectors(n: int, dim: int, seed: int = 0) -> FloatMatrix:
    """``n`` random unit vectors of length ``dim`` (float32, C-contiguous), reproducibly."""
    rng = np.random.default_rng(seed)
    return _unit_rows(rng.standard_normal((n, dim), dtype=np.float32))


class HashEmbedder:
    """``Embedder`` fake: each text's SHA-256 seeds a random unit vector.

    Equal texts get equal vectors and different texts nearly orthogonal ones, so a
    search for a chunk's exact text finds that chunk first. ``calls`` counts ``embed``
    calls and ``texts`` counts the texts embedded.
    """

    def __init__(
        self, dimension: int = 384, name: str = "hash", languages: tuple[str, ...] | None = None
    ) -> None:
        self._dimension = dimension
        self._name = name
        self._languages = languages
        self.calls = 0
        self.texts = 0

    def model_id(self) -> str:
        return f"{self._name}-{self._dimension}"

    def dimension(self) -> int:
        return self._dimension

    def languages(self) -> tuple[str, ...] | None:
        return self._languages

    def warm_up(self) -> None:
        """Nothing to load."""

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        self.calls += 1
        self.texts += len(texts)
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            rng = np.random.default_rng(text_seed(text))
            out[row] = rng.standard_normal(self._dimension, dtype=np.float32)
        return _unit_rows(out)
