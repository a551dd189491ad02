"""llama-cpp-python itself: its lazy import, its log sink and what the build and the
machine support (GPU offload, physical cores, the vocabulary's control tokens).

``llama_cpp`` is imported on first use, once; llama.cpp's log lines go to ``LOG_TAIL``
(warnings and errors) and ``OFFLOADED`` (the newest load's offload line) instead of
stderr. :mod:`desktop.inference.llama` reads them when a load fails or finishes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from desktop.core.errors import ModelLoadFailed

LOG_TAIL: deque[tuple[int, str]] = deque(maxlen=20)
#: llama.cpp's "offloaded N/M layers to GPU" line of the newest load (an info message).
_OFFLOAD = re.compile(r"^\w+: offloaded (\d+)/(\d+) layers to GPU")
OFFLOADED: list[tuple[int, int]] = []
_KEEP_ALIVE: list[Any] = []
# ggml.h: GGML_LOG_LEVEL_WARN = 3, GGML_LOG_LEVEL_ERROR = 4 (llama_cpp/_logger.py's own
# table predates this numbering and shows warnings as errors, even with verbose=False).
WARN, ERROR = 3, 4


@functools.cache
def llama_cpp_module() -> ModuleType:
    """Import llama_cpp once and route its log output into ``LOG_TAIL``."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise ModelLoadFailed(
            "llama.engine_missing",
            details=repr(exc),
        ) from exc

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def sink(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", errors="replace").strip()
        if level in (WARN, ERROR):
            LOG_TAIL.append((level, line))
        offload = _OFFLOAD.search(line)
        if offload:
            OFFLOADED[:] = [(int(offload.group(1)), int(offload.group(2)))]

    llama_cpp.llama_log_set(sink, ctypes.c_void_p(0))
    _KEEP_ALIVE.append(sink)  # llama.cpp holds a raw pointer to the callback
    return llama_cpp


@contextlib.contextmanager
def load_progress(report: Callable[[float], bool] | None) -> Iterator[None]:
    """While a model loads inside this block, llama.cpp's progress callback calls
    ``report`` with the fraction loaded (0.0 to 1.0); a False answer aborts the load.

    ``Llama()`` takes no progress callback, but it builds its model parameters by calling
    ``llama_model_default_params()`` of the binding module; inside this block that call
    returns the defaults with the callback set. Loads happen on one thread at a time
    (the adapter's lock), and the binding is restored on the way out."""
    if report is None:
        yield
        return
    binding = llama_cpp_module().llama_cpp
    original = binding.llama_model_default_params

    def progress(fraction: float, _user_data: ctypes.c_void_p) -> bool:
        try:
            return bool(report(float(fraction)))
        except Exception:  # never raise into C: a broken report only stops reporting
            return True

    callback = binding.llama_progress_callback(progress)

    def params_with_progress() -> Any:
        params = original()
        params.progress_callback = callback
        return params

    binding.llama_model_default_params = params_with_progress
    try:
        yield
    finally:
        binding.llama_model_default_params = original


def import_llama_cpp() -> None:
    """Import llama-cpp-python now (ahead of the first model load)."""
    llama_cpp_module()


#: A word joiner breaks a control token's text without changing how it reads.
_JOINER = "\u2060"


def control_pattern(llm: Any) -> re.Pattern[str] | None:
    """A regex matching the text of every control or user-defined token of the model's
    vocabulary that looks like markup (``<start_of_turn>``, ``<|im_start|>``, ``[INST]``);
    None when there is none. Plain words and whitespace tokens are left out."""
    llama_cpp = llama_cpp_module()
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
        return bool(llama_cpp_module().llama_supports_gpu_offload())
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
