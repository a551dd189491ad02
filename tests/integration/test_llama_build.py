"""The installed llama-cpp-python is the one Kura's build step made, with the recorded
flags: not tuned to this machine, no AVX-512, no AMX, whatever CPU ran the build.

This machine may well have AVX-512 (and another AMX): a native build would use them, and
the kernels llama.cpp reports in use would say so.
"""

from __future__ import annotations

import importlib.util
import platform
from pathlib import Path
from types import ModuleType

import pytest

from desktop.modelhost import runtime
from desktop.modelhost.client import HostProcess

REPO = Path(__file__).resolve().parents[2]
X86_64_V3 = {"SSE3", "SSSE3", "SSE42", "AVX", "AVX2", "F16C", "FMA", "BMI2"}
NOT_KERNELS = {"LLAMAFILE", "OPENMP", "REPACK", "ACCELERATE", "KLEIDIAI"}


def _llama_runtime() -> ModuleType:
    path = REPO / "packaging" / "llama_runtime.py"
    spec = importlib.util.spec_from_file_location("llama_runtime", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_installed_build_carries_the_record_of_the_projects_flags() -> None:
    record = runtime.build_record()
    assert record, "llama-cpp-python was not built by packaging/llama_runtime.py (run make)"
    expected = _llama_runtime().build_config(record["backend"])
    assert record["key"] == expected["key"], "the installed build is not what the files say"
    assert record["cmake_args"] == expected["cmake_args"]
    assert "-DGGML_NATIVE=OFF" in record["cmake_args"]
    assert not any("AMX" in a and a.endswith("=ON") for a in record["cmake_args"])


@pytest.mark.slow
def test_the_kernels_in_use_are_the_baseline_not_this_machines_best() -> None:
    host = HostProcess("build-check")
    try:
        llama = host.request("info", llama=True)[0]["llama"]
    finally:
        host.close()
    cpu = set(llama["features"]["CPU"])
    assert not any(f.startswith(("AVX512", "AMX", "AVX_VNNI")) for f in cpu), cpu
    if platform.machine().lower() in ("x86_64", "amd64"):
        assert {"AVX2", "FMA", "F16C"} <= cpu
        assert cpu - NOT_KERNELS <= X86_64_V3, cpu
