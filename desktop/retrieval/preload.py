"""Load the embedding stack's big shared libraries without holding the GIL.

CPython keeps the GIL while ``import`` dlopens an extension module, and dlopen of
libtorch takes a few hundred milliseconds: a GUI thread waiting for the GIL freezes for
that long. Calling ``dlopen`` through ctypes as a foreign function releases the GIL, so
the libraries are mapped first that way; the ``import`` that follows finds them loaded.
Nothing is executed from them here, and a library that is missing is simply skipped.
"""

from __future__ import annotations

import ctypes
import glob
import os
import sys
from importlib.util import find_spec
from pathlib import Path

# (package, glob relative to its folder or its sibling "<package>.libs" folder, global)
_LIBRARIES = (
    ("torch", "lib/libgomp*.so*", True),
    ("torch", "lib/libc10.so", True),
    ("torch", "lib/libtorch_cpu.so", True),
    ("torch", "lib/libtorch.so", True),
    ("torch", "lib/libtorch_python.so", True),
    ("numpy", "../numpy.libs/*.so*", False),
    ("scipy", "../scipy.libs/*.so*", False),
    ("tokenizers", "*.so", False),
    ("safetensors", "*.so", False),
)


def _package_dir(name: str) -> Path | None:
    spec = find_spec(name)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def preload_shared_libraries() -> int:
    """dlopen the listed libraries with the GIL released; returns how many loaded."""
    if not sys.platform.startswith("linux"):
        return 0  # the import path is the only loader elsewhere
    libc = ctypes.CDLL(None)
    libc.dlopen.restype = ctypes.c_void_p
    libc.dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    loaded = 0
    for package, pattern, make_global in _LIBRARIES:
        folder = _package_dir(package)
        if folder is None:
            continue
        flags = os.RTLD_NOW | (os.RTLD_GLOBAL if make_global else os.RTLD_LOCAL)
        for path in sorted(glob.glob(str(folder / pattern))):
            if libc.dlopen(os.fsencode(path), flags):
                loaded += 1
    return loaded


def preload_embedding_runtime() -> None:
    """Map the shared libraries off the GIL, then import sentence-transformers."""
    from desktop.retrieval.embedder import import_sentence_transformers

    preload_shared_libraries()
    import_sentence_transformers()
