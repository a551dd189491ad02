"""llama-cpp-python adapter: one GGUF kept warm, streamed answers, cooperative cancel.

``llama_cpp`` is imported lazily (the first ``load``), so importing this module is cheap.
llama.cpp's own log lines never reach stderr: a sink keeps the last warnings and errors,
which become the technical details of a ``ModelLoadFailed``
(:mod:`desktop.inference.llama_runtime` holds the import and the sink).

Token accounting: the prompt is tokenized once (``count_tokens`` and ``generate`` share
the result), and every token the sampler hands to ``Llama.create_completion`` passes
through a thin counting generator, which is also where cancellation is checked, so a
cancelled answer stops within one token step even while text is held back for a stop
sequence. ``completion_tokens`` counts the tokens of the answer (not the end-of-turn
token), the same figure llama-cpp-python reports as usage for a non-streamed completion.
The streamed answer itself is :mod:`desktop.inference.llama_generation`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from desktop.core.chat_models import AUTO, ChatMessage, GgufInfo, LoadSettings, SamplingParams
from desktop.core.errors import ContextOverflow, InputError, ModelLoadFailed, ModelNotFound
from desktop.core.tasks import CancelToken
from desktop.inference.llama_generation import LlamaGeneration, LoadedModel, Probe
from desktop.inference.llama_runtime import (
    ERROR,
    LOG_TAIL,
    OFFLOADED,
    control_pattern,
    defuse,
    gpu_offload_supported,
    import_llama_cpp,
    llama_cpp_module,
    load_progress,
    physical_cores,
)
from desktop.inference.template import ChatTemplate, choose_template

__all__ = [
    "LlamaCppChatModel",
    "LlamaGeneration",
    "gpu_offload_supported",
    "import_llama_cpp",
    "physical_cores",
]

_FUNCTION_PREFIX = re.compile(r"^\w+: ")


@functools.cache
def _llama_class() -> type:
    """``Llama`` whose token generator reports to the running generation's probe."""
    base: Any = llama_cpp_module().Llama

    class KuraLlama(base):  # type: ignore[misc]
        kura_probe: Probe | None = None

        def generate(self, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
            inner = super().generate(tokens, *args, **kwargs)
            probe = self.kura_probe
            return inner if probe is None else probe.watch(inner)

    return KuraLlama


class LlamaCppChatModel:
    """``ChatModel`` on llama-cpp-python. One model is kept warm; use it from one thread."""

    def __init__(self) -> None:
        self._loaded: LoadedModel | None = None
        self._lock = threading.Lock()
        self._memo: tuple[str, list[int]] | None = None

    # ------------------------------------------------------------------ loading

    def gpu_offload_supported(self) -> bool:
        """Whether this llama-cpp-python build can offload layers to a GPU."""
        return gpu_offload_supported()

    def load(
        self,
        path: str,
        sha256: str,
        settings: LoadSettings,
        info: GgufInfo,
        progress: Callable[[float], bool] | None = None,
    ) -> None:
        """Load (or keep) this model; on failure the previous model stays loaded.

        The new model is loaded before the old one is released, so a switch briefly
        holds both; a failed load leaves the previous model usable. ``progress`` hears
        llama.cpp's load progress (0.0 to 1.0); answering False aborts the load.
        """
        with self._lock:
            current = self._loaded
            if current is not None and current.sha256 == sha256 and current.settings == settings:
                return
            choice = choose_template(info)
            template = ChatTemplate(
                choice.source, bos_token=info.bos_token, eos_token=info.eos_token
            )
            llm = self._open(path, settings, progress)
            eos = (info.eos_token,) if info.eos_token and info.eos_token.strip() else ()
            bos_text, add_bos = self._bos(llm)
            controls = control_pattern(llm)
            self._loaded = LoadedModel(
                llm=llm,
                sha256=sha256,
                settings=settings,
                template=template,
                stops=tuple(dict.fromkeys(choice.stops + eos)),
                bos_text=bos_text,
                add_bos=add_bos,
                controls=controls,
            )
            self._memo = None
            if current is not None:
                current.llm.close()

    @staticmethod
    def _bos(llm: Any) -> tuple[str, bool]:
        """The BOS token's text, and whether the vocabulary wants it added to prompts."""
        bos_id = llm.token_bos()
        if bos_id < 0:
            return "", False
        llama_cpp = llama_cpp_module()
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        text = llm.detokenize([bos_id], special=True).decode("utf-8", "replace")
        return text, bool(llama_cpp.llama_vocab_get_add_bos(vocab))

    def _open(
        self, path: str, settings: LoadSettings, progress: Callable[[float], bool] | None
    ) -> Any:
        llama_cpp = llama_cpp_module()
        name = Path(path).name
        if not Path(path).is_file():
            raise ModelNotFound("llama.model_file_gone", name=name)
        layers = self._gpu_layers(llama_cpp, settings)
        threads = settings.n_threads or physical_cores()
        LOG_TAIL.clear()
        OFFLOADED.clear()
        try:
            with load_progress(progress):
                return _llama_class()(
                    model_path=path,
                    n_gpu_layers=layers,
                    n_ctx=settings.n_ctx,
                    n_batch=min(settings.n_batch, settings.n_ctx),
                    n_threads=threads,
                    n_threads_batch=threads,
                    verbose=False,
                )
        except Exception as exc:
            errors = [text for level, text in LOG_TAIL if level == ERROR and text]
            reason = _FUNCTION_PREFIX.sub("", errors[0]) if errors else str(exc)
            raise ModelLoadFailed(
                "llama.load_failed",
                name=name,
                reason=reason[:200],
                details="\n".join(text for _, text in LOG_TAIL) or repr(exc),
            ) from exc

    @staticmethod
    def _gpu_layers(llama_cpp: ModuleType, settings: LoadSettings) -> int:
        supported = bool(llama_cpp.llama_supports_gpu_offload())
        if settings.n_gpu_layers == AUTO:
            return -1 if supported else 0
        layers = int(settings.n_gpu_layers)
        if layers != 0 and not supported:
            raise ModelLoadFailed("llama.no_gpu_offload")
        return layers

    def offloaded_layers(self) -> tuple[int, int] | None:
        """(layers on a GPU, layers in all) as llama.cpp reported for the newest load;
        None when it said nothing (a build without a GPU backend)."""
        return OFFLOADED[0] if OFFLOADED and self._loaded is not None else None

    def loaded_sha256(self) -> str | None:
        """The SHA-256 of the loaded model file, or None."""
        return self._loaded.sha256 if self._loaded is not None else None

    def close(self) -> None:
        """Release the loaded model (its memory goes back at once)."""
        with self._lock:
            loaded, self._loaded, self._memo = self._loaded, None, None
            if loaded is not None:
                loaded.llm.close()

    unload = close

    # ------------------------------------------------------------------ prompting

    def _require(self) -> LoadedModel:
        if self._loaded is None:
            raise ModelNotFound("llama.no_model_loaded")
        return self._loaded

    def context_length(self) -> int:
        """The loaded context window in tokens."""
        return int(self._require().llm.n_ctx())

    def render(self, messages: list[ChatMessage]) -> str:
        """The prompt text: the model's chat template in a sandbox (or the fallback).

        The prompt is tokenized with control tokens recognised (the template's own turn
        markers must be), so control-token text inside a message (a user typing
        ``<end_of_turn>``, a document carrying ``<|im_start|>``) would forge turns:
        it is defused first (:func:`defuse`)."""
        loaded = self._require()
        if loaded.controls is not None:
            messages = [ChatMessage(m.role, defuse(loaded.controls, m.content)) for m in messages]
        return loaded.template.render(messages)

    def count_tokens(self, prompt: str) -> int:
        """Tokens ``generate`` will feed for this prompt (BOS included when added)."""
        return len(self._tokenize(prompt))

    def _tokenize(self, prompt: str) -> list[int]:
        memo = self._memo
        if memo is not None and memo[0] == prompt:
            return memo[1]
        loaded = self._require()
        add_bos = loaded.add_bos and not (loaded.bos_text and prompt.startswith(loaded.bos_text))
        tokens: list[int] = loaded.llm.tokenize(
            prompt.encode("utf-8"), add_bos=add_bos, special=True
        )
        self._memo = (prompt, tokens)
        return tokens

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> LlamaGeneration:
        """Stream an answer; iterate the result for text pieces (lazily started)."""
        loaded = self._require()
        tokens = self._tokenize(prompt)
        if not tokens:
            raise InputError("llama.prompt_empty")
        n_ctx = int(loaded.llm.n_ctx())
        if len(tokens) >= n_ctx:
            raise ContextOverflow("llama.context_overflow", tokens=len(tokens), n_ctx=n_ctx)
        stops = [s for s in dict.fromkeys((*stop, *loaded.stops)) if s]
        return LlamaGeneration(loaded, tokens, params, cancel, stops)
