"""Remote models: Kura's path to an OpenAI-compatible server vs a direct client of it.

One llama_cpp.server (the demo GGUF, CPU) serves both sides. Kura's side is the full
service path, ``ChatService.send`` on an app whose model is the registered endpoint
(plan, context fitting, the pending-turn commit, the request through the pinned,
guarded connection, the SSE stream); TTFT is measured from the ``send`` call to the
first piece. The direct client is a few lines of ``http.client`` in this file, sending
the same messages and sampling parameters; its TTFT runs from the request to its first
content chunk. Rounds alternate with a new question for each side in each round, the
questions differing only in a same-length tail ("Take A 1", "Take B 1"), so the prefix
the server's cache reuses from the request before is the same length on both sides. The
adapter alone (no service) is measured too, to tell the service's share of the TTFT
from the adapter's.

Against the server with fixed timing, a third side runs the service without the spare
connection (the connect after the pending-turn commit, as before it existed), and the
pending-turn commit is timed on its own: its wall time and the CPU time of the thread
that ran it (the difference is waiting on the disk's flush).
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from desktop.core.chat_models import AppConfig, ChatMessage, GgufInfo, LoadSettings, SamplingParams
from desktop.core.services.chat import ChatService
from desktop.core.services.remote_models import RemoteRegistration
from desktop.core.tasks import CancelToken
from desktop.remote.openai import RemoteChatModel, messages_prompt, request_params
from tests.benchmarks.kb_support import workspace
from tests.fake_openai import fake_openai
from tests.integration.openai_server import llama_server

SYSTEM = "You are a helpful assistant. Answer in plain prose."
QUESTION = "Write a short story about a lighthouse keeper and a storm."
PARAMS = SamplingParams(temperature=0.0, top_p=0.95, top_k=40, max_tokens=64, seed=42)
ROUNDS = 5


def _rate(stamps: list[float]) -> float:
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0


def _connect(served: Any) -> socket.socket:
    """A plain TCP socket to the server (no name look-up: the guard refuses those)."""
    sock = socket.socket()
    sock.connect(("127.0.0.1", served.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _direct(served: Any, question: str) -> tuple[float, float, int]:
    body = {
        "model": "demo",  # the paced server ignores it
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": question},
        ],
        "stream": True,
        **request_params(PARAMS, (), 42),
    }
    stamps: list[float] = []
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", served.port)
    conn.sock = _connect(served)
    headers = {"Content-Type": "application/json"}
    conn.request("POST", "/v1/chat/completions", json.dumps(body), headers)
    response = conn.getresponse()
    while line := response.readline():
        if not line.startswith(b"data: ") or line.strip() == b"data: [DONE]":
            continue
        delta = json.loads(line[6:])["choices"][0]["delta"]
        if delta.get("content"):
            stamps.append(time.perf_counter())
    conn.close()
    return stamps[0] - start, _rate(stamps), len(stamps)


def _service(ws: Any, owner: Any, question: str) -> tuple[float, float, int]:
    stamps: list[float] = []
    start = time.perf_counter()
    result = ws.chat.send(
        owner, "bench", question, on_piece=lambda _: stamps.append(time.perf_counter())
    )
    return stamps[0] - start, _rate(stamps), result.turn.usage["completion_tokens"]


def _adapter(model: RemoteChatModel, question: str) -> tuple[float, float, int]:
    prompt = messages_prompt([ChatMessage("system", SYSTEM), ChatMessage("user", question)])
    stamps: list[float] = []
    start = time.perf_counter()
    for _ in model.generate(prompt, PARAMS, CancelToken()):
        stamps.append(time.perf_counter())
    return stamps[0] - start, _rate(stamps), len(stamps)


def _median(runs: list[tuple[float, float, int]], i: int) -> float:
    return float(statistics.median(r[i] for r in runs))


@contextmanager
def _without_spare(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Loading a remote model opens no spare connection (the request connects after
    the pending-turn commit)."""

    def load(self: RemoteChatModel, path: str, sha: str, s: LoadSettings, i: GgufInfo) -> None:
        self.close()
        self._n_ctx = s.n_ctx

    with monkeypatch.context() as patch:
        patch.setattr(RemoteChatModel, "load", load)
        yield


def _timed_commits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """(wall ms, thread CPU ms) of each pending-turn transaction from now on."""
    timed: list[tuple[float, float]] = []
    start = ChatService._start

    def measured(self: ChatService, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        result = start(self, *args)
        timed.append(((time.perf_counter() - wall) * 1e3, (time.thread_time() - cpu) * 1e3))
        return result

    monkeypatch.setattr(ChatService, "_start", measured)
    return timed


def test_remote_streaming_vs_a_direct_client(tmp_path: Path, demo_model_path: Path) -> None:
    from desktop.security import netguard

    with llama_server(demo_model_path, n_ctx=2048) as served, workspace(tmp_path) as (ws, owner):
        reg = RemoteRegistration("gpu", served.base_url, "demo", context_length=2048)
        model = ws.remote_models.register(owner, reg)
        assert model.endpoint is not None
        ws.apps.create(
            owner, AppConfig(name="bench", model_id=model.id, instructions=SYSTEM, params=PARAMS)
        )
        adapter = RemoteChatModel(model.endpoint, lambda _e: None, model.sha256)
        _direct(served, "warm up")
        ws.chat.send(owner, "bench", "warm up")
        ours, direct, bare = [], [], []
        for n in range(ROUNDS):
            ours.append(_service(ws, owner, f"{QUESTION} Take A {n}."))
            direct.append(_direct(served, f"{QUESTION} Take B {n}."))
            bare.append(_adapter(adapter, f"{QUESTION} Take C {n}."))
        netguard.allow_connections(())
    rate_ours, rate_direct = _median(ours, 1), _median(direct, 1)
    ttft_ours, ttft_direct, ttft_bare = _median(ours, 0), _median(direct, 0), _median(bare, 0)
    print(
        f"\nremote chat through Kura (ChatService.send -> llama_cpp.server) vs a direct "
        f"http.client of the same server, demo model on CPU, {ROUNDS} alternating rounds "
        f"(median): decode {rate_ours:.1f} vs {rate_direct:.1f} pieces/s -> ratio "
        f"{rate_ours / rate_direct:.3f} (goal >= 0.97); TTFT {ttft_ours * 1e3:.1f} vs "
        f"{ttft_direct * 1e3:.1f} ms -> overhead {(ttft_ours - ttft_direct) * 1e3:+.1f} ms "
        f"(goal <= 30 ms); the adapter alone: TTFT {ttft_bare * 1e3:.1f} ms, decode "
        f"{_median(bare, 1):.1f} pieces/s; pieces {[r[2] for r in ours]} vs "
        f"{[r[2] for r in direct]}"
    )


def test_remote_overhead_against_a_server_with_fixed_timing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same comparison against a server whose timing does not depend on the CPU
    (100 ms to the first token, then one every 20 ms): what is left is the clients' own
    cost, which a model computing on a shared CPU would drown."""
    import os

    from desktop.security import netguard

    with fake_openai("paced") as served, workspace(tmp_path) as (ws, owner):
        reg = RemoteRegistration("paced", f"http://127.0.0.1:{served.port}/v1", "demo")
        model = ws.remote_models.register(owner, reg)
        ws.apps.create(
            owner, AppConfig(name="bench", model_id=model.id, instructions=SYSTEM, params=PARAMS)
        )
        _direct(served, "warm up")
        ws.chat.send(owner, "bench", "warm up")
        assert model.endpoint is not None
        adapter = RemoteChatModel(model.endpoint, lambda _e: None, model.sha256)
        commits = _timed_commits(monkeypatch)
        ours, before, direct, bare = [], [], [], []
        for n in range(ROUNDS * 2):
            ours.append(_service(ws, owner, f"{QUESTION} Take A {n}."))
            with _without_spare(monkeypatch):
                before.append(_service(ws, owner, f"{QUESTION} Take D {n}."))
            direct.append(_direct(served, f"{QUESTION} Take B {n}."))
            bare.append(_adapter(adapter, f"{QUESTION} Take C {n}."))
        netguard.allow_connections(())
    rate_ours, rate_direct = _median(ours, 1), _median(direct, 1)
    ttft_ours, ttft_direct = _median(ours, 0), _median(direct, 0)
    ttft_bare, ttft_before = _median(bare, 0), _median(before, 0)
    wall = statistics.median(c[0] for c in commits)
    cpu = statistics.median(c[1] for c in commits)
    print(
        f"\nremote chat through Kura (ChatService.send) vs a direct http.client, server with "
        f"fixed timing (100 ms TTFT, 50 pieces/s), {ROUNDS * 2} alternating rounds (median), "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs: "
        f"decode {rate_ours:.2f} vs {rate_direct:.2f} pieces/s -> ratio "
        f"{rate_ours / rate_direct:.3f} (goal >= 0.97); TTFT {ttft_ours * 1e3:.1f} vs "
        f"{ttft_direct * 1e3:.1f} ms -> overhead {(ttft_ours - ttft_direct) * 1e3:+.1f} ms "
        f"(goal <= 30 ms); without the spare connection {ttft_before * 1e3:.1f} ms "
        f"({(ttft_before - ttft_direct) * 1e3:+.1f} ms); the adapter alone "
        f"{(ttft_bare - ttft_direct) * 1e3:+.1f} ms; the pending-turn transaction "
        f"{wall:.2f} ms wall, {cpu:.2f} ms CPU (the rest waits on the disk's flush)"
    )
