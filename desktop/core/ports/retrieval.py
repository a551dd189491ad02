"""Parsing, chunking, embedding, vector search and reranking (``desktop.retrieval``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from desktop.core.knowledge_models import Chunk, ParsedDocument
from desktop.core.tasks import CancelToken

#: A serialized vector index: the bytes of ``VectorIndex.serialize`` (a view of FAISS's
#: buffer, not a copy) or of ``KnowledgeRepository.load_index`` (one buffer filled part
#: by part).
IndexBytes = bytes | bytearray | memoryview


class DocumentParser(Protocol):
    def parse(self, name: str, data: bytes, cancel: CancelToken | None = None) -> ParsedDocument:
        """Text and headings of a file, chosen by its extension; IngestionFailed (with the
        stage and a one-line reason) for anything unusable or over the limits, whatever
        the library underneath raised; Cancelled soon after ``cancel`` is set."""
        ...


class TextChunker(Protocol):
    def chunk(self, doc: ParsedDocument, size: int, overlap: int) -> list[Chunk]: ...


class Embedder(Protocol):
    """Sentence embeddings (``SentenceTransformerEmbedder``); loads lazily, offline."""

    def model_id(self) -> str:
        """Identifies the model, so vectors of different models are never mixed."""
        ...

    def dimension(self) -> int: ...

    def languages(self) -> tuple[str, ...] | None:
        """ISO 639-1 codes of the languages the model was trained on; None: unknown or
        multilingual (hybrid search then trusts it for every script)."""
        ...

    def embed(self, texts: Sequence[str]) -> Any:
        """A float32 array of shape (len(texts), dimension), rows L2-normalised."""
        ...


class VectorIndex(Protocol):
    """Inner-product search over L2-normalised vectors, keyed by chunk id. In memory only."""

    def add(self, ids: Sequence[int], vectors: Any) -> None: ...

    def remove(self, ids: Sequence[int]) -> None: ...

    def search(
        self,
        query: Any,
        k: int,
        exact_vectors: Callable[[Sequence[int]], Sequence[tuple[int, bytes]]] | None = None,
    ) -> list[tuple[int, float]]:
        """Best first; an approximate index given ``exact_vectors`` (the stored vectors
        of the ids it asks for) rescores its best candidates exactly."""
        ...

    def count(self) -> int: ...

    def serialize(self) -> IndexBytes: ...

    def fit(self) -> bool:
        """Choose the index kind for its size; False when only a rebuild from the stored
        vectors can make it fit."""
        ...


class Reranker(Protocol):
    def scores(self, query: str, texts: Sequence[str]) -> list[float]: ...


class Ocr(Protocol):
    """Text recognition for scanned pages and images (Tesseract, run in the model host).
    Raises ``InputError("knowledge.ocr_missing")`` when the engine or its language data
    is not installed; Cancelled soon after ``cancel`` is set."""

    def image_pages(self, data: bytes, cancel: CancelToken) -> list[str]:
        """The text of each frame of an image file (PNG, JPEG, TIFF...)."""
        ...

    def pdf_pages(self, data: bytes, pages: Sequence[int], cancel: CancelToken) -> list[str]:
        """The text of the given pages (0-based) of a PDF, each rendered as an image."""
        ...
