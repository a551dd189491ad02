"""The model side of a workspace: which adapters chat, embed and rerank.

Part of the composition root (:mod:`desktop.app` re-exports :class:`Engines`): in
:meth:`Engines.local` every model runs in a model host process; tests inject fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.clock import Clock
from desktop.core.errors import ModelLoadFailed
from desktop.core.ports import ChatModel, Embedder, ModelInspector, Ocr, Reranker, Store
from desktop.core.ports.pii import PiiDetector
from desktop.core.services.kb_index import EmbedderFactory
from desktop.core.services.knowledge import KnowledgeService
from desktop.core.services.retrieval import TextTools

RerankerFactory = Callable[[str], Reranker]


def _no_hosts() -> None:
    """Nothing to stop: engines made of in-process fakes."""


def _no_embedder(folder: str) -> Embedder:
    raise ModelLoadFailed("workspace.engines_without_embedder")


def _no_reranker(folder: str) -> Reranker:
    raise ModelLoadFailed("workspace.engines_without_reranker")


@dataclass(frozen=True, slots=True)
class Engines:
    """The model-side adapters a workspace uses; tests inject fakes explicitly.

    ``embedder_factory`` maps a knowledge base's embedding-model folder ("" = the
    packaged default) to an embedder, ``reranker_factory`` a CrossEncoder folder to a
    reranker; ``ocr`` reads scans and images (None: they are refused with the remedy).
    In :meth:`local` every one of them runs in a model host process; nothing starts
    until one is used.
    """

    inspector: ModelInspector
    chat_model: ChatModel
    embedder_factory: EmbedderFactory = _no_embedder
    reranker_factory: RerankerFactory = _no_reranker
    ocr: Ocr | None = None
    #: finds personal data (desktop/core/ports/pii.py); None: the personal-data policies
    #: refuse rather than send or store unmasked data
    pii_detector: PiiDetector | None = None
    preload: Callable[[], None] = lambda: None
    #: start the personal-data host and load its model (~700 MB, tens of seconds cold)
    #: ahead of first use; only run where a policy needs the detector
    #: (:meth:`desktop.app.Workspace.warm_pii_if_needed`)
    preload_pii: Callable[[], None] = lambda: None
    close: Callable[[], None] = _no_hosts

    @classmethod
    def local(cls) -> Engines:
        """GGUF inspection here; llama-cpp-python in one model host, the
        sentence-transformers models (embedders, rerankers) in another, Tesseract (OCR)
        in a third, so a crash in one runtime takes down neither Kura nor the others."""
        from desktop.inference.gguf import GgufModelInspector
        from desktop.modelhost.adapters import (
            HostedChatModel,
            HostedEmbedder,
            HostedOcr,
            HostedPiiDetector,
            HostedReranker,
        )
        from desktop.modelhost.client import EMBED_REMEDY, OCR_REMEDY, PII_REMEDY, HostProcess

        chat_host, embed_host = HostProcess("chat"), HostProcess("embed", EMBED_REMEDY)
        ocr_host = HostProcess("ocr", OCR_REMEDY)
        pii_host = HostProcess("pii", PII_REMEDY)

        def preload() -> None:
            """Start both hosts and import their runtimes, ahead of first use (the GUI
            runs this on a lane once its window shows; Kura's own process loads nothing)."""
            chat_host.request("warm", runtimes=["llama"])
            embed_host.request("warm", runtimes=["torch"])

        def preload_pii() -> None:
            pii_host.request("warm", runtimes=["pii"])

        def close() -> None:
            chat_host.close()
            embed_host.close()
            ocr_host.close()
            pii_host.close()

        return cls(
            GgufModelInspector(),
            HostedChatModel(chat_host),
            embedder_factory=lambda folder: HostedEmbedder(embed_host, folder or None),
            reranker_factory=lambda folder: HostedReranker(embed_host, folder),
            ocr=HostedOcr(ocr_host),
            pii_detector=HostedPiiDetector(pii_host),
            preload=preload,
            preload_pii=preload_pii,
            close=close,
        )


def knowledge_service(store: Store, engines: Engines, clock: Clock) -> KnowledgeService:
    """The knowledge service over ``store``, with the retrieval adapters and ``engines``."""
    from desktop.retrieval.chunking import SentenceChunker
    from desktop.retrieval.fusion import reciprocal_rank_fusion
    from desktop.retrieval.parsers import FileParser
    from desktop.retrieval.query import fulltext_terms
    from desktop.retrieval.vector_index import FaissIndexFactory

    return KnowledgeService(
        store,
        FileParser(ocr=engines.ocr),
        SentenceChunker(),
        engines.embedder_factory,
        FaissIndexFactory(),
        TextTools(fulltext_terms, reciprocal_rank_fusion, engines.reranker_factory),
        clock,
        pii=engines.pii_detector,
    )
