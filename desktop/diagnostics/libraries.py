"""Which libraries are installed, and does every Kura module import?"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import desktop
from desktop import installation
from desktop.diagnostics.common import (
    StepFailed,
    StepOutcome,
    distribution_version,
    module_version,
    one_line,
)

#: The distributions ``kura doctor`` reports the versions of.
LIBRARIES = (
    "sqlcipher3-binary",
    "keyring",
    "SecretStorage",
    "cryptography",
    "argon2-cffi",
    "llama-cpp-python",
    "sentence-transformers",
    "torch",
    "faiss-cpu",
    "PySide6-Essentials",
)

#: (label, module, distribution) of the runtimes Kura's own process needs; the keyring
#: backend of this platform is added at run time. The model runtimes (llama_cpp, torch,
#: sentence_transformers) are imported by the model host, in the "model host" step.
RUNTIMES = (
    ("sqlcipher3", "sqlcipher3.dbapi2", "sqlcipher3-binary"),
    ("keyring", "keyring", "keyring"),
    ("cryptography", "cryptography", "cryptography"),
    ("argon2", "argon2", "argon2-cffi"),
    ("faiss", "faiss", "faiss-cpu"),
    ("numpy", "numpy", "numpy"),
    ("PySide6.QtWidgets", "PySide6.QtWidgets", "PySide6-Essentials"),
    ("pyqtgraph", "pyqtgraph", "pyqtgraph"),
    ("markdown_it", "markdown_it", "markdown-it-py"),
)


def versions() -> dict[str, str | None]:
    """The version of each of :data:`LIBRARIES` (None: not installed)."""
    return {dist: distribution_version(dist) for dist in LIBRARIES}


def imports_step() -> StepOutcome:
    """Self-test: import every Kura module and every runtime Kura's process needs."""
    problems: list[str] = []
    count = 0

    def failed(name: str) -> None:
        exc = sys.exc_info()[1]
        reason = f"{type(exc).__name__}: {exc}" if exc else "cannot be imported"
        problems.append(f"{name} ({one_line(reason, 120)})")

    for info in pkgutil.walk_packages(desktop.__path__, "desktop.", onerror=failed):
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            problems.append(f"{info.name} ({type(exc).__name__}: {one_line(str(exc), 120)})")
        else:
            count += 1
    backend = installation.platform_keyring_backend().rpartition(".")[0]
    found: dict[str, str] = {}
    for label, module_name, dist in (*RUNTIMES, (backend, backend, "keyring")):
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            problems.append(f"{label} ({type(exc).__name__}: {one_line(str(exc), 120)})")
            continue
        found[label] = module_version(module, dist)
    if problems:
        raise StepFailed(f"cannot import {'; '.join(problems)}")
    cipher = installation.sqlcipher_driver()["cipher_version"]
    found["sqlcipher3"] += f" (SQLCipher {cipher})"
    if count < 2:
        raise StepFailed(f"found only {count} Kura modules: this build is incomplete")
    shown = ", ".join(f"{label} {v}" for label, v in found.items() if label not in (backend,))
    return f"{count} Kura modules; {shown}", {"modules": count, "versions": found}
