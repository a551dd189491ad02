"""packaging/llama_runtime.py: the build's flags come from the project, never the machine."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "llama_runtime", REPO / "packaging" / "llama_runtime.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lr = _load()


def test_the_cpu_build_is_portable_whatever_machine_builds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lr, "_machine", lambda: "x86_64")
    args = lr.build_config("cpu")["cmake_args"]
    assert "-DGGML_NATIVE=OFF" in args
    for flag in ("AVX512", "AVX512_VNNI", "AMX_TILE", "AMX_INT8", "AMX_BF16", "AVX_VNNI"):
        assert f"-DGGML_{flag}=OFF" in args
    for flag in ("AVX2", "FMA", "F16C", "BMI2"):
        assert f"-DGGML_{flag}=ON" in args
    assert not any("native" in a.lower() and "NATIVE=OFF" not in a for a in args)


def test_every_choice_gets_its_own_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lr, "_machine", lambda: "x86_64")
    cpu, cuda = lr.build_config("cpu"), lr.build_config("cuda")
    monkeypatch.setenv("KURA_CUDA_ARCHS", "89-real")
    cuda_89 = lr.build_config("cuda")
    assert len({cpu["key"], cuda["key"], cuda_89["key"]}) == 3
    assert lr.build_config("cpu")["key"] == cpu["key"]  # stable for the same choice


def test_native_cuda_architectures_and_unknown_backends_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KURA_CUDA_ARCHS", "native")
    with pytest.raises(lr.BuildError, match="native"):
        lr.build_config("cuda")
    with pytest.raises(lr.BuildError, match="not one of"):
        lr.build_config("rocm")


def test_a_toolkit_without_a_device_builds_the_cpu_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lr.sys, "platform", "linux")
    monkeypatch.setattr(lr, "_nvcc", lambda: "/opt/cuda/bin/nvcc")
    monkeypatch.setattr(lr, "_nvidia_gpu_present", lambda: False)
    monkeypatch.setattr(lr, "_vulkan_toolkit", lambda: False)
    backend, why = lr.detect_backend()
    assert backend == "cpu" and "no NVIDIA GPU" in why
    monkeypatch.setattr(lr, "_nvidia_gpu_present", lambda: True)
    assert lr.detect_backend()[0] == "cuda"


def test_the_wheel_is_built_without_pip_cache_and_carries_its_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(lr, "WHEELS", tmp_path / "wheels")
    config = lr.build_config("cpu")
    seen: list[list[str]] = []

    def fake_run(cmd: list[str], env: dict[str, str], check: bool) -> object:
        seen.append(cmd)
        assert env["CMAKE_ARGS"] == " ".join(config["cmake_args"])
        out = Path(cmd[cmd.index("-w") + 1])
        with zipfile.ZipFile(out / "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl", "w") as z:
            z.writestr("llama_cpp/__init__.py", "")
            z.writestr("llama_cpp_python-0.3.36.dist-info/RECORD", "llama_cpp/__init__.py,,\n")
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(lr.subprocess, "run", fake_run)
    wheel = lr.build_wheel("python", config)
    assert "--no-cache-dir" in seen[0] and "--no-binary" in seen[0]
    assert wheel.parent.name == config["key"]
    with zipfile.ZipFile(wheel) as z:
        data = z.read("llama_cpp/kura_build.json")
        record = z.read("llama_cpp_python-0.3.36.dist-info/RECORD").decode()
    assert json.loads(data)["key"] == config["key"]
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert f"llama_cpp/kura_build.json,sha256={digest},{len(data)}" in record
    assert lr.build_wheel("python", config) == wheel and len(seen) == 1  # reused, not rebuilt
