"""Loading the demo GGUF in the model host reports llama.cpp's own load progress over
the wire, percent by percent up to 1.0, and a model already loaded reports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.chat_models import LoadSettings
from desktop.inference.gguf import GgufModelInspector
from desktop.modelhost.adapters import HostedChatModel
from desktop.modelhost.client import HostProcess

pytestmark = pytest.mark.slow


def test_model_load_progress_travels_from_llama_cpp_through_the_host(
    demo_model_path: Path,
) -> None:
    host = HostProcess("chat")
    model = HostedChatModel(host)
    info = GgufModelInspector().inspect(str(demo_model_path))
    settings = LoadSettings(n_ctx=512, n_batch=128)
    seen: list[float] = []
    try:
        with model.watch_load(seen.append):
            model.load(str(demo_model_path), "demo-sha", settings, info)
        assert model.context_length() == 512
        assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0
        assert all(0.0 <= f <= 1.0 for f in seen)
        again: list[float] = []
        with model.watch_load(again.append):
            model.load(str(demo_model_path), "demo-sha", settings, info)
        assert again == []  # kept loaded: nothing to report
    finally:
        host.close()
