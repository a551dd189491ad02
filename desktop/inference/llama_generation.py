"""One streamed answer of :class:`~desktop.inference.llama.LlamaCppChatModel`: the
loaded model it runs on, the probe that counts its tokens and stops the sampler when
cancelled, and :class:`LlamaGeneration`, the ``Generation`` port.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.core.chat_models import LoadSettings, SamplingParams, StopReason
from desktop.core.errors import GenerationFailed
from desktop.core.tasks import CancelToken
from desktop.inference.llama_runtime import llama_cpp_module
from desktop.inference.template import ChatTemplate


class Probe:
    """Counts the tokens of one generation and stops the sampler when cancelled."""

    __slots__ = ("cancel", "cancelled", "last", "sampled")

    def __init__(self, cancel: CancelToken) -> None:
        self.cancel = cancel
        self.cancelled = False
        self.sampled = 0
        self.last: int | None = None

    def watch(self, tokens: Iterator[int]) -> Iterator[int]:
        cancel = self.cancel
        for token in tokens:
            if cancel.cancelled:
                self.cancelled = True
                return
            self.sampled += 1
            self.last = token
            yield token


@dataclass(slots=True)
class LoadedModel:
    llm: Any
    sha256: str
    settings: LoadSettings
    template: ChatTemplate
    stops: tuple[str, ...]
    bos_text: str
    add_bos: bool
    controls: re.Pattern[str] | None = None

    def is_eog(self, token: int) -> bool:
        llama_cpp = llama_cpp_module()
        return bool(
            llama_cpp.llama_vocab_is_eog(llama_cpp.llama_model_get_vocab(self.llm.model), token)
        )


class LlamaGeneration:
    """One streamed answer (``Generation``): iterate once; the counters are then final."""

    def __init__(
        self,
        loaded: LoadedModel,
        tokens: list[int],
        params: SamplingParams,
        cancel: CancelToken,
        stops: list[str],
    ) -> None:
        self.prompt_tokens = len(tokens)
        self.completion_tokens = 0
        self.stop_reason: str = StopReason.STOP.value
        # The seed actually used, so the audited trace can be replayed.
        self.seed: int = params.seed if params.seed is not None else secrets.randbelow(2**32 - 1)
        self._loaded, self._tokens, self._params = loaded, tokens, params
        self._cancel, self._stops = cancel, stops
        self._started = False

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("a generation can be iterated only once")
        self._started = True
        return self._stream()

    def _stream(self) -> Iterator[str]:
        cancel, probe = self._cancel, Probe(self._cancel)
        if cancel.cancelled:  # do not spend a prompt evaluation on a stopped turn
            probe.cancelled = True
            self._settle(probe, None)
            return
        llm = self._loaded.llm
        llm.kura_probe = probe
        chunks = self._completion(llm)
        finish: str | None = None
        try:
            for chunk in chunks:
                choice = chunk["choices"][0]
                if choice["text"]:
                    yield choice["text"]
                if cancel.cancelled:
                    probe.cancelled = True
                    break
                finish = choice["finish_reason"] or finish
        except Exception as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise GenerationFailed(
                "llama.generation_failed", reason=reason, details=repr(exc)
            ) from exc
        finally:
            chunks.close()
            if llm.kura_probe is probe:
                llm.kura_probe = None
            self._settle(probe, finish)

    def _completion(self, llm: Any) -> Generator[dict[str, Any], None, None]:
        p = self._params
        chunks: Generator[dict[str, Any], None, None] = llm.create_completion(
            self._tokens,
            max_tokens=p.max_tokens,
            temperature=p.temperature,
            top_p=p.top_p,
            top_k=p.top_k,
            repeat_penalty=p.repeat_penalty,
            seed=self.seed,
            stop=self._stops,
            stream=True,
        )
        return chunks

    def _settle(self, probe: Probe, finish: str | None) -> None:
        last = probe.last
        ended = last is not None and self._loaded.is_eog(last)
        self.completion_tokens = probe.sampled - (1 if ended else 0)
        if probe.cancelled:
            self.stop_reason = StopReason.CANCELLED.value
        elif finish == "length":
            self.stop_reason = StopReason.LENGTH.value
        else:
            self.stop_reason = StopReason.STOP.value
