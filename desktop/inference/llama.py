"""llama-cpp-python adapter: one GGUF kept warm, streamed answers, cooperative cancel.

``llama_cpp`` is imported lazily (the first ``load``), so importing this module is cheap.
llama.cpp's own log lines never reach stderr: a sink keeps the last warnings and errors,
which become the technical details of a ``ModelLoadFailed``.

Token accounting: the prompt is tokenized once (``count_tokens`` and ``generate`` share
the result), and every token the sampler hands to ``Llama.create_completion`` passes
through a thin counting generator, which is also where cancellation is checked, so a
cancelled answer stops within one token step even while text is held back for a stop
sequence. ``completion_tokens`` counts the tokens of the answer (not the end-of-turn
token), the same figure llama-cpp-python reports as usage for a non-streamed completion.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
import secrets
import threading
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from desktop.core.chat_models import (
    AUTO,
    ChatMessage,
    GgufInfo,
    LoadSettings,
    SamplingParams,
    StopReason,
)
from desktop.core.errors import (
    ContextOverflow,
    GenerationFailed,
    InputError,
    ModelLoadFailed,
    ModelNotFound,
)
from desktop.core.tasks import CancelToken
from desktop.inference.template import ChatTemplate, choose_template

_LOG_TAIL: deque[tuple[int, str]] = deque(maxlen=20)
#: llama.cpp's "offloaded N/M layers to GPU" line of the newest load (an info message).
_OFFLOAD = re.compile(r"^\w+: offloaded (\d+)/(\d+) layers to GPU")
_OFFLOADED: list[tuple[int, int]] = []
_KEEP_ALIVE: list[Any] = []
# ggml.h: GGML_LOG_LEVEL_WARN = 3, GGML_LOG_LEVEL_ERROR = 4 (llama_cpp/_logger.py's own
# table predates this numbering and shows warnings as errors, even with verbose=False).
_WARN, _ERROR = 3, 4
_FUNCTION_PREFIX = re.compile(r"^\w+: ")
_NO_GPU = (
    "this llama-cpp-python build cannot offload to a GPU: set GPU layers to 0 or auto, "
    "or install a GPU build of llama-cpp-python"
)


@functools.cache
def _llama_cpp() -> ModuleType:
    """Import llama_cpp once and route its log output into ``_LOG_TAIL``."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise ModelLoadFailed(
            "the local inference engine (llama-cpp-python) is not installed: reinstall Kura",
            details=repr(exc),
        ) from exc

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def sink(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", errors="replace").strip()
        if level in (_WARN, _ERROR):
            _LOG_TAIL.append((level, line))
        offload = _OFFLOAD.search(line)
        if offload:
            _OFFLOADED[:] = [(int(offload.group(1)), int(offload.group(2)))]

    llama_cpp.llama_log_set(sink, ctypes.c_void_p(0))
    _KEEP_ALIVE.append(sink)  # llama.cpp holds a raw pointer to the callback
    return llama_cpp


def import_llama_cpp() -> None:
    """Import llama-cpp-python now (ahead of the first model load)."""
    _llama_cpp()


@functools.cache
def _llama_class() -> type:
    """``Llama`` whose token generator reports to the running generation's probe."""
    base: Any = _llama_cpp().Llama

    class KuraLlama(base):  # type: ignore[misc]
        kura_probe: _Probe | None = None

        def generate(self, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
            inner = super().generate(tokens, *args, **kwargs)
            probe = self.kura_probe
            return inner if probe is None else probe.watch(inner)

    return KuraLlama


#: A word joiner breaks a control token's text without changing how it reads.
_JOINER = "\u2060"


def control_pattern(llm: Any) -> re.Pattern[str] | None:
    """A regex matching the text of every control or user-defined token of the model's
    vocabulary that looks like markup (``<start_of_turn>``, ``<|im_start|>``, ``[INST]``);
    None when there is none. Plain words and whitespace tokens are left out."""
    llama_cpp = _llama_cpp()
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    mask = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED
    texts = set()
    for token in range(int(llama_cpp.llama_vocab_n_tokens(vocab))):
        if llama_cpp.llama_vocab_get_attr(vocab, token) & mask:
            text = llm.detokenize([token], special=True).decode("utf-8", "replace")
            if (
                len(text) >= 2
                and not any(c.isspace() for c in text)
                and any(c in "<>[]|" for c in text)
            ):
                texts.add(text)
    if not texts:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)))


def defuse(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with every control-token string broken by a word joiner after its first
    character, so it tokenizes as ordinary text."""
    return pattern.sub(lambda m: m.group()[0] + _JOINER + m.group()[1:], text)


def gpu_offload_supported() -> bool:
    """Whether the installed llama-cpp-python build can put layers on a GPU."""
    try:
        return bool(_llama_cpp().llama_supports_gpu_offload())
    except ModelLoadFailed:
        return False


def physical_cores() -> int:
    """Physical cores this process may run on (llama.cpp decodes best with one per core)."""
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    logical = len(allowed) if allowed else (os.cpu_count() or 1)
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return max(1, logical // 2) if logical >= 4 else logical
    cores: set[tuple[str, str]] = set()
    for block in cpuinfo.split("\n\n"):
        fields = dict(
            (k.strip(), v.strip()) for k, _, v in (ln.partition(":") for ln in block.splitlines())
        )
        cpu = fields.get("processor", "")
        if cpu.isdigit() and (allowed is None or int(cpu) in allowed):
            cores.add((fields.get("physical id", cpu), fields.get("core id", cpu)))
    return max(1, min(len(cores) or logical, logical))


class _Probe:
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
class _Loaded:
    llm: Any
    sha256: str
    settings: LoadSettings
    template: ChatTemplate
    stops: tuple[str, ...]
    bos_text: str
    add_bos: bool
    controls: re.Pattern[str] | None = None

    def is_eog(self, token: int) -> bool:
        llama_cpp = _llama_cpp()
        return bool(
            llama_cpp.llama_vocab_is_eog(llama_cpp.llama_model_get_vocab(self.llm.model), token)
        )


class LlamaGeneration:
    """One streamed answer (``Generation``): iterate once; the counters are then final."""

    def __init__(
        self,
        loaded: _Loaded,
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
        cancel, probe = self._cancel, _Probe(self._cancel)
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
                f"the model failed while answering ({reason}): try again or reload the model",
                details=repr(exc),
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

    def _settle(self, probe: _Probe, finish: str | None) -> None:
        last = probe.last
        ended = last is not None and self._loaded.is_eog(last)
        self.completion_tokens = probe.sampled - (1 if ended else 0)
        if probe.cancelled:
            self.stop_reason = StopReason.CANCELLED.value
        elif finish == "length":
            self.stop_reason = StopReason.LENGTH.value
        else:
            self.stop_reason = StopReason.STOP.value


class LlamaCppChatModel:
    """``ChatModel`` on llama-cpp-python. One model is kept warm; use it from one thread."""

    def __init__(self) -> None:
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self._memo: tuple[str, list[int]] | None = None

    # ------------------------------------------------------------------ loading

    def gpu_offload_supported(self) -> bool:
        """Whether this llama-cpp-python build can offload layers to a GPU."""
        return gpu_offload_supported()

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        """Load (or keep) this model; on failure the previous model stays loaded.

        The new model is loaded before the old one is released, so a switch briefly
        holds both; a failed load leaves the previous model usable.
        """
        with self._lock:
            current = self._loaded
            if current is not None and current.sha256 == sha256 and current.settings == settings:
                return
            choice = choose_template(info.chat_template, info.architecture)
            template = ChatTemplate(
                choice.source, bos_token=info.bos_token, eos_token=info.eos_token
            )
            llm = self._open(path, settings)
            eos = (info.eos_token,) if info.eos_token and info.eos_token.strip() else ()
            bos_text, add_bos = self._bos(llm)
            controls = control_pattern(llm)
            self._loaded = _Loaded(
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
        llama_cpp = _llama_cpp()
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        text = llm.detokenize([bos_id], special=True).decode("utf-8", "replace")
        return text, bool(llama_cpp.llama_vocab_get_add_bos(vocab))

    def _open(self, path: str, settings: LoadSettings) -> Any:
        llama_cpp = _llama_cpp()
        name = Path(path).name
        if not Path(path).is_file():
            raise ModelNotFound(f"{name}: the model file is gone: register it again")
        layers = self._gpu_layers(llama_cpp, settings)
        threads = settings.n_threads or physical_cores()
        _LOG_TAIL.clear()
        _OFFLOADED.clear()
        try:
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
            errors = [text for level, text in _LOG_TAIL if level == _ERROR and text]
            reason = _FUNCTION_PREFIX.sub("", errors[0]) if errors else str(exc)
            raise ModelLoadFailed(
                f"{name}: llama.cpp could not load the model ({reason[:200]}): check the file, "
                "or lower the context size or GPU layers",
                details="\n".join(text for _, text in _LOG_TAIL) or repr(exc),
            ) from exc

    @staticmethod
    def _gpu_layers(llama_cpp: ModuleType, settings: LoadSettings) -> int:
        supported = bool(llama_cpp.llama_supports_gpu_offload())
        if settings.n_gpu_layers == AUTO:
            return -1 if supported else 0
        layers = int(settings.n_gpu_layers)
        if layers != 0 and not supported:
            raise ModelLoadFailed(_NO_GPU)
        return layers

    def offloaded_layers(self) -> tuple[int, int] | None:
        """(layers on a GPU, layers in all) as llama.cpp reported for the newest load;
        None when it said nothing (a build without a GPU backend)."""
        return _OFFLOADED[0] if _OFFLOADED and self._loaded is not None else None

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

    def _require(self) -> _Loaded:
        if self._loaded is None:
            raise ModelNotFound("no model is loaded: choose a model for this app first")
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
            raise InputError("the prompt is empty")
        n_ctx = int(loaded.llm.n_ctx())
        if len(tokens) >= n_ctx:
            raise ContextOverflow(
                f"the prompt needs {len(tokens)} tokens but the context holds {n_ctx}: "
                "shorten it or raise the model's context size"
            )
        stops = [s for s in dict.fromkeys((*stop, *loaded.stops)) if s]
        return LlamaGeneration(loaded, tokens, params, cancel, stops)
