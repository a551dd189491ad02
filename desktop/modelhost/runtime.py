"""The model runtimes as the host process uses them; imported only inside the host.

Everything heavy (llama_cpp, torch, sentence_transformers) is reached from here, so the
main process never maps those libraries (a test reads its ``/proc/self/maps``).
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from desktop.core.errors import InputError

_FEATURE = re.compile(r"([A-Z0-9_]+) = 1\b")
_DEVICE_TYPES = {0: "cpu", 1: "gpu", 2: "igpu", 3: "accel"}
BUILD_RECORD = "kura_build.json"


#: Where temporary files would go: a path under a file, which no OS lets anyone create,
#: so a runtime that tries to write one fails instead of leaving text on disk.
NO_TEMP_DIR = os.path.join(os.devnull, "kura-model-host")


def guard_process() -> None:
    """The guards the main process installs (model hubs off, no core dumps, the audit
    hook that refuses every network socket), and no temporary folder: torch's import asks
    for its compile cache folder, which is pointed at an existing folder that nothing
    here writes to (the file system root; Landlock refuses the write anyway)."""
    from desktop.security.netguard import install_network_guard
    from desktop.security.process import disable_core_dumps

    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    tempfile.tempdir = NO_TEMP_DIR
    for var in ("TMPDIR", "TEMP", "TMP"):
        os.environ[var] = NO_TEMP_DIR
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.abspath(os.sep)
    disable_core_dumps()
    install_network_guard()


def import_runtime(name: str) -> None:
    """Import a runtime ahead of its first use ("llama", "torch" or "pii", which also
    loads the personal-data model)."""
    if name == "llama":
        from desktop.inference.llama import import_llama_cpp

        import_llama_cpp()
    elif name == "pii":
        pii_detector()
    elif name == "torch":
        from desktop.retrieval.embedder import import_sentence_transformers

        import_sentence_transformers()
    else:
        raise InputError("models.unknown_runtime", name=name)


def chat_model() -> Any:
    from desktop.inference.llama import LlamaCppChatModel

    return LlamaCppChatModel()


def embedder(folder: str, batch_size: int) -> Any:
    from desktop.retrieval.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(folder or None, batch_size=batch_size)


def reranker(folder: str) -> Any:
    from desktop.retrieval.rerank import CrossEncoderReranker

    return CrossEncoderReranker(folder)


_PII: list[Any] = []  # the detector, once loaded (a host loads it once)


def pii_detector() -> Any:
    """Presidio + GiNZA (``desktop.pii``), loaded once per host."""
    if not _PII:
        from desktop.pii.detector import PresidioPiiDetector

        _PII.append(PresidioPiiDetector())
    return _PII[0]


def pii_entity_dict(entity: Any) -> dict[str, Any]:
    return {
        "type": str(entity.type),
        "start": entity.start,
        "end": entity.end,
        "text": entity.text,
        "score": entity.score,
    }


def gpu_offload_supported() -> bool:
    from desktop.inference.llama import gpu_offload_supported as supported

    return supported()


def build_record() -> dict[str, Any] | None:
    """The record Kura's build step wrote into llama-cpp-python (packaging/llama_runtime.py);
    None for a llama-cpp-python that Kura did not build."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), BUILD_RECORD)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def parse_system_info(text: str) -> dict[str, list[str]]:
    """``llama_print_system_info()`` as {backend: [features that are on]}."""
    found: dict[str, list[str]] = {}
    for part in text.split("|"):
        name, sep, rest = part.partition(":")
        item = part
        if sep and not rest.strip().startswith("="):
            found.setdefault(name.strip(), [])
            item = rest
        elif not found:
            continue
        feature = _FEATURE.search(item)
        if feature:
            found[list(found)[-1]].append(feature.group(1))
    return found


def devices() -> list[dict[str, Any]]:
    """Every device ggml's registered backends see (CPU, GPUs), with their memory."""
    from llama_cpp import _ggml

    lib = _ggml.libggml
    lib.ggml_backend_dev_count.restype = ctypes.c_size_t
    lib.ggml_backend_dev_get.restype = ctypes.c_void_p
    lib.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
    for fn in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
        getattr(lib, fn).restype = ctypes.c_char_p
        getattr(lib, fn).argtypes = [ctypes.c_void_p]
    lib.ggml_backend_dev_type.restype = ctypes.c_int
    lib.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
    lib.ggml_backend_dev_memory.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_size_t),
        ctypes.POINTER(ctypes.c_size_t),
    ]
    out = []
    for i in range(int(lib.ggml_backend_dev_count())):
        dev = lib.ggml_backend_dev_get(i)
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        lib.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        out.append(
            {
                "name": (lib.ggml_backend_dev_name(dev) or b"").decode("utf-8", "replace"),
                "description": (lib.ggml_backend_dev_description(dev) or b"").decode(
                    "utf-8", "replace"
                ),
                "type": _DEVICE_TYPES.get(int(lib.ggml_backend_dev_type(dev)), "other"),
                "memory_total": int(total.value),
            }
        )
    return out


def llama_report() -> dict[str, Any]:
    """What ``kura doctor`` prints about the inference runtime: how it was built, the CPU
    features its kernels use, the devices it sees, whether it can offload."""
    from desktop.inference.llama import import_llama_cpp

    import_llama_cpp()
    import llama_cpp

    system = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    return {
        "version": getattr(llama_cpp, "__version__", "?"),
        "build": build_record(),
        "features": parse_system_info(system),
        "system_info": " ".join(system.split()),
        "devices": devices(),
        "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
    }


def resident_bytes() -> int:
    """This process's resident set size (Linux; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")
