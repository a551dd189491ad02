"""Model files and the loaded chat model (``desktop.inference``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from desktop.core.chat_models import ChatMessage, GgufInfo, LoadSettings, SamplingParams
from desktop.core.tasks import CancelToken


class ModelInspector(Protocol):
    """Reads model files without loading them (``inference.gguf``)."""

    def inspect(self, path: str) -> GgufInfo:
        """Parse the GGUF header; ModelInvalid for anything that is not a sound GGUF."""
        ...

    def sha256(self, path: str, cancel: CancelToken | None = None) -> str: ...


class Generation(Protocol):
    """A streaming answer: iterate for text pieces; afterwards the counters are final."""

    prompt_tokens: int
    completion_tokens: int
    stop_reason: str
    seed: int

    def __iter__(self) -> Iterator[str]: ...


class ChatModel(Protocol):
    """One loaded GGUF at a time (``LlamaCppChatModel``)."""

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        """Load (or keep) this model; on failure the previous model stays loaded."""
        ...

    def loaded_sha256(self) -> str | None: ...

    def context_length(self) -> int: ...

    def render(self, messages: list[ChatMessage]) -> str:
        """The prompt text: the model's chat template in a sandbox (or the fallback)."""
        ...

    def count_tokens(self, prompt: str) -> int: ...

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> Generation: ...

    def gpu_offload_supported(self) -> bool: ...
