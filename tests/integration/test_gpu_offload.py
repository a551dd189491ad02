"""The GPU offload path, on a GPU build of llama-cpp-python (``make gpu-check``).

Without a GPU, the Vulkan build runs on Mesa's lavapipe, a Vulkan driver that executes on
the CPU: llama.cpp takes exactly the path it takes on a real GPU (device discovery,
weights uploaded to device buffers, every layer's kernels run as Vulkan compute). With
``GPU_CHECK=cuda`` on an NVIDIA machine the same tests check the CUDA build.

``make gpu-check`` builds the runtime into its own folder and names it here; the model
host finds it first on PYTHONPATH. Kura's own process never loads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.chat_models import ChatMessage, LoadSettings, SamplingParams
from desktop.core.tasks import CancelToken
from desktop.inference.gguf import GgufModelInspector
from desktop.modelhost.adapters import HostedChatModel
from desktop.modelhost.client import HostProcess
from tests.integration.cli_support import REPO

RUNTIME = os.environ.get("KURA_TEST_LLAMA_RUNTIME", "")
BACKEND = os.environ.get("KURA_TEST_GPU_BACKEND", "vulkan")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RUNTIME, reason="needs a GPU build of llama-cpp-python: make gpu-check"),
]


@pytest.fixture
def gpu_runtime(monkeypatch: pytest.MonkeyPatch) -> str:
    """The model host (started from this process) imports the GPU build."""
    path = os.pathsep.join(p for p in (RUNTIME, os.environ.get("PYTHONPATH", "")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    return path


def test_every_layer_is_offloaded_and_the_model_answers(
    gpu_runtime: str, demo_model_path: Path
) -> None:
    host = HostProcess("gpu-check")
    try:
        llama = host.request("info", llama=True)[0]["llama"]
        assert llama["build"]["backend"] == BACKEND, llama["build"]
        gpus = [d for d in llama["devices"] if d["type"] in ("gpu", "igpu")]
        assert gpus and llama["gpu_offload"], llama["devices"]
        model = HostedChatModel(host)
        path = str(demo_model_path)
        info = GgufModelInspector().inspect(path)
        model.load(path, "demo", LoadSettings(n_ctx=1024), info)  # GPU layers: auto
        assert model.offloaded_layers is not None
        on_gpu, total = model.offloaded_layers
        assert on_gpu == total > 0, model.offloaded_layers
        prompt = model.render([ChatMessage("user", "Name one colour.")])
        params = SamplingParams(max_tokens=16, temperature=0, seed=1)
        generation = model.generate(prompt, params, CancelToken())
        answer = "".join(generation)
        assert answer.strip() and generation.completion_tokens > 0
    finally:
        host.close()
    print(
        f"\ngpu-check: {BACKEND} on {gpus[0]['description']}: {on_gpu}/{total} layers, "
        f"answer {answer.strip()[:60]!r}"
    )


def test_doctor_reports_the_backend_and_the_device(gpu_runtime: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([gpu_runtime, str(REPO)])}
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "doctor", "--json", "--data-dir", str(tmp_path / "w")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    report = json.loads(proc.stdout)
    runtime = {c["name"]: c for c in report["checks"]}["inference_runtime"]
    assert runtime["ok"] and runtime["build"]["backend"] == BACKEND
    assert runtime["gpu_offload"] and any(d["type"] in ("gpu", "igpu") for d in runtime["devices"])
    assert BACKEND in runtime["detail"] and "layers offload to the GPU" in runtime["detail"]
