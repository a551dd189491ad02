"""The ports' adapters on the main process's side: ``ChatModel``, ``Embedder``,
``Reranker``, ``Ocr`` and ``PiiDetector`` calls become requests to a model host
(:mod:`desktop.modelhost.client`).

The services see the same ports as before; what moved is where the runtime runs. A host
that died is started again by the next call, and a chat model reloads its GGUF there
(``loaded_sha256`` is None until it has).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from desktop.core.chat_models import ChatMessage, GgufInfo, LoadSettings, SamplingParams, StopReason
from desktop.core.errors import (
    EmbeddingFailed,
    GenerationFailed,
    InputError,
    ModelProcessStopped,
)
from desktop.core.pii import PiiEntity, PiiType
from desktop.core.tasks import CancelToken
from desktop.modelhost.client import HostProcess
from desktop.retrieval.model_folder import FolderIdentity, ModelFolder, check_model_dir


def _int(header: dict[str, Any], key: str) -> int:
    """An integer field of a host's reply; a reply without it is a broken host."""
    value = header.get(key)
    if type(value) is not int:
        raise GenerationFailed("models.host_malformed_reply", key=key)
    return value


class HostedGeneration:
    """``Generation`` streamed from the host; the counters are final after iterating."""

    def __init__(
        self, host: HostProcess, generation: int, prompt_tokens: int, seed: int, cancel: CancelToken
    ) -> None:
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = 0
        self.stop_reason: str = StopReason.STOP.value
        self.seed = seed
        self._host, self._generation, self._cancel = host, generation, cancel
        self._epoch = host.epoch  # the host that holds this answer
        self._started = False

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("a generation can be iterated only once")
        self._started = True
        return self._stream()

    def _stream(self) -> Iterator[str]:
        if self._host.epoch != self._epoch or not self._host.alive:
            raise ModelProcessStopped("models.host_stopped_before_answer")
        frames = self._host.stream("chat.stream", self._cancel, generation=self._generation)
        try:
            for frame in frames:
                if "piece" in frame:
                    yield str(frame["piece"])
                else:
                    self.completion_tokens = _int(frame, "completion_tokens")
                    self.stop_reason = str(frame.get("stop_reason", StopReason.STOP.value))
        finally:
            frames.close()  # type: ignore[attr-defined]


class HostedChatModel:
    """``ChatModel`` whose GGUF runs in the model host (llama-cpp-python there)."""

    def __init__(self, host: HostProcess) -> None:
        self._host = host
        self._loaded: tuple[str, LoadSettings, int] | None = None
        self.offloaded_layers: tuple[int, int] | None = None  # as llama.cpp reported
        self._load_listener: Callable[[float], None] | None = None

    @property
    def host(self) -> HostProcess:
        return self._host

    @contextlib.contextmanager
    def watch_load(self, listener: Callable[[float], None]) -> Iterator[None]:
        """Within this block, a load reports its progress (0.0 to 1.0) to ``listener``
        (llama.cpp's own load progress, relayed by the host)."""
        self._load_listener = listener
        try:
            yield
        finally:
            self._load_listener = None

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        """Load (or keep) this model in the host; a new host loads it again."""
        if self.loaded_sha256() == sha256 and self._loaded and self._loaded[1] == settings:
            return
        header, _ = self._host.request(
            "chat.load",
            on_progress=self._load_listener,
            path=path,
            sha256=sha256,
            settings=settings.as_dict(),
            info=info.as_dict(),
        )
        offloaded = header.get("offloaded_layers")
        self.offloaded_layers = (int(offloaded[0]), int(offloaded[1])) if offloaded else None
        self._loaded = (sha256, settings, self._host.epoch)

    def loaded_sha256(self) -> str | None:
        loaded = self._loaded
        if loaded is None or loaded[2] != self._host.epoch or not self._host.alive:
            return None
        return loaded[0]

    def _value(self, op: str, **fields: Any) -> Any:
        return self._host.request(op, **fields)[0]["value"]

    def context_length(self) -> int:
        return int(self._value("chat.context_length"))

    def render(self, messages: list[ChatMessage]) -> str:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        return str(self._value("chat.render", messages=payload))

    def count_tokens(self, prompt: str) -> int:
        return int(self._value("chat.count_tokens", prompt=prompt))

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> HostedGeneration:
        header, _ = self._host.request(
            "chat.generate", prompt=prompt, params=params.as_dict(), stop=list(stop)
        )
        return HostedGeneration(
            self._host,
            _int(header, "id"),
            _int(header, "prompt_tokens"),
            _int(header, "seed"),
            cancel,
        )

    def gpu_offload_supported(self) -> bool:
        return bool(self._value("chat.gpu_offload_supported"))

    def close(self) -> None:
        """Release the model in the host (the host itself keeps running)."""
        self._loaded = None
        if self._host.alive:
            self._host.request("chat.unload")

    unload = close


class HostedEmbedder(FolderIdentity):
    """``Embedder`` whose sentence-transformers model runs in the model host. Identity
    (folder fingerprint, model card languages) is read here without loading anything."""

    def __init__(self, host: HostProcess, model_dir: str | None = None) -> None:
        self._host = host
        self._identity = ModelFolder(model_dir)
        self._shape: tuple[int, int] | None = None  # (dimension, max tokens)

    def warm_up(self) -> None:
        """Load the model in the host now (no-op when this embedder already has)."""
        if self._shape is None:
            check_model_dir(self.folder, kind="embedding model")
            header, _ = self._host.request("embed.describe", folder=str(self.folder))
            self._shape = (int(header["dimension"]), int(header["max_tokens"]))

    @property
    def loaded(self) -> bool:
        return self._shape is not None and self._host.alive

    def dimension(self) -> int:
        self.warm_up()
        assert self._shape is not None
        return self._shape[0]

    def max_tokens(self) -> int:
        self.warm_up()
        assert self._shape is not None
        return self._shape[1]

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """A C-contiguous float32 array (len(texts), dimension), rows L2-normalised."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise InputError("models.embed_needs_strings")
        dimension = self.dimension()
        if len(texts) == 0:
            return np.zeros((0, dimension), dtype=np.float32)
        header, body = self._host.request(
            "embed.encode", folder=str(self.folder), texts=list(texts)
        )
        shape = tuple(int(n) for n in header["shape"])
        if shape != (len(texts), dimension) or len(body) != 4 * len(texts) * dimension:
            raise EmbeddingFailed(
                "models.embed_wrong_shape",
                shape=str(shape),
                count=len(texts),
                dimension=dimension,
            )
        return np.frombuffer(bytearray(body), dtype=np.float32).reshape(shape)

    def close(self) -> None:
        self._shape = None


class HostedReranker:
    """``Reranker`` on a CrossEncoder folder, scored in the model host."""

    def __init__(self, host: HostProcess, model_dir: str) -> None:
        self._host = host
        self._folder = Path(model_dir)

    @property
    def folder(self) -> Path:
        return self._folder

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        header, _ = self._host.request(
            "rerank.scores", folder=str(self._folder), query=query, texts=list(texts)
        )
        return [float(s) for s in header["scores"]]


class HostedOcr:
    """``Ocr`` by Tesseract in the model host: the file's bytes travel over the pipe, the
    host renders and reads them in memory (it cannot write files) and sends the text."""

    def __init__(self, host: HostProcess) -> None:
        self._host = host

    @property
    def host(self) -> HostProcess:
        return self._host

    def image_pages(self, data: bytes, cancel: CancelToken) -> list[str]:
        header, _ = self._host.request("ocr.image", payload=data, cancel=cancel)
        return [str(text) for text in header["pages"]]

    def pdf_pages(self, data: bytes, pages: Sequence[int], cancel: CancelToken) -> list[str]:
        header, _ = self._host.request(
            "ocr.pdf", payload=data, cancel=cancel, pages=[int(n) for n in pages]
        )
        return [str(text) for text in header["pages"]]


class HostedPiiDetector:
    """``PiiDetector`` by Presidio + GiNZA in the model host: the texts travel over the
    pipe, the host sends back the findings (the model loads on the first call, seconds)."""

    def __init__(self, host: HostProcess) -> None:
        self._host = host

    @property
    def host(self) -> HostProcess:
        return self._host

    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        if not texts:
            return []
        header, _ = self._host.request("pii.detect", cancel, texts=[str(t) for t in texts])
        found = header.get("entities")
        if not isinstance(found, list) or len(found) != len(texts):
            raise GenerationFailed("models.host_malformed_reply", key="entities")
        return [
            [_pii_entity(text, item) for item in each]
            for text, each in zip(texts, found, strict=True)
        ]


def _pii_entity(text: str, item: dict[str, Any]) -> PiiEntity:
    start, end = _int(item, "start"), _int(item, "end")
    if not 0 <= start < end <= len(text):
        raise GenerationFailed("models.host_malformed_reply", key="start")
    return PiiEntity(PiiType(str(item["type"])), start, end, text[start:end], float(item["score"]))
