"""The model host process on the real build: chats and embeds there, dies without taking
Kura down, never outlives Kura, and is confined."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams, StopReason
from desktop.core.errors import ModelProcessStopped
from desktop.core.tasks import CancelToken
from desktop.modelhost.adapters import HostedEmbedder
from desktop.modelhost.client import HostProcess
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore
from tests.integration.cli_support import REPO, Kura, require_secret_service

pytestmark = pytest.mark.slow
PW = "a long enough passphrase"
FAST = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
RUNTIME_LIBS = ("libllama", "libggml", "libtorch", "libc10")


def mapped_runtimes(pid: int | str = "self") -> set[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {name for name in RUNTIME_LIBS if name in maps}


def gone(pid: int, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z":
            return True  # a zombie has exited; only its parent's wait is missing
        time.sleep(0.05)
    return False


def audit_payloads(ws: app.Workspace, action: str) -> list[dict]:  # type: ignore[type-arg]
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


@pytest.fixture(scope="module")
def engines() -> Iterator[app.Engines]:
    e = app.Engines.local()
    yield e
    e.close()


@pytest.fixture
def ws(tmp_path: Path, engines: app.Engines, demo_model_path: Path) -> Iterator[app.Workspace]:
    keys = MemoryKeyStore()
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=FAST)
    with app.open_workspace(tmp_path / "w", key_store=keys, hasher=FAST, engines=engines) as w:
        owner = w.accounts.authenticate("owner", PW)
        model = w.models.register(owner, str(demo_model_path), name="demo")
        params = SamplingParams(max_tokens=200, temperature=0, seed=1)
        w.apps.create(owner, AppConfig(name="helper", model_id=model.id, params=params))
        yield w


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV])
def test_host_killed_mid_answer_keeps_the_partial_answer_and_the_next_turn_works(
    ws: app.Workspace, engines: app.Engines, sig: signal.Signals
) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    host = engines.chat_model.host  # type: ignore[attr-defined]
    seen: list[str] = []

    def on_piece(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            os.kill(host.pid, sig)

    with pytest.raises(ModelProcessStopped) as caught:
        ws.chat.send(owner, "helper", "Count from one to fifty in words.", on_piece=on_piece)
    assert caught.value.signal_name == sig.name and sig.name in caught.value.message
    assert "\n" not in caught.value.message

    (conv,) = ws.chat.conversations(owner)
    (turn,) = ws.chat.turns(owner, conv.id)
    assert turn.stop_reason == StopReason.FAILED and turn.answer == "".join(seen)
    events = audit_payloads(ws, "chat.failed")
    assert events and events[-1]["partial_kept"] is True
    assert events[-1]["output"] == turn.answer and sig.name in events[-1]["error"]
    assert events[-1]["turn_id"] == turn.id  # completes the question's own event:
    (asked,) = audit_payloads(ws, "chat.asked")
    assert (asked["turn_id"], asked["input"]) == (turn.id, "Count from one to fifty in words.")
    assert ws.store.verify_audit().ok

    again = ws.chat.send(owner, "helper", "Say hello.", conversation_id=conv.id)
    assert again.turn.answer and again.turn.stop_reason in (StopReason.STOP, StopReason.LENGTH)
    assert host.alive  # a fresh host answered


def test_embedder_dying_mid_ingest_reports_that_document_and_stores_the_rest(
    tmp_path: Path, engines: app.Engines, ws: app.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    kb = ws.knowledge.create(owner, "notes")
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        lines = 3000 if i == 1 else 20  # the one the host dies on takes seconds to embed
        (folder / f"doc{i}.txt").write_text(f"Document {i} is about topic number {i}.\n" * lines)
    embedder = engines.embedder_factory("")
    host = embedder._host  # type: ignore[attr-defined]
    embedder.embed(["warm up"])
    original = HostedEmbedder.embed

    def dying_embed(self: HostedEmbedder, texts: list[str]) -> np.ndarray:
        if any("Document 1" in t for t in texts):  # dies while this document is embedded
            threading.Timer(0.5, os.kill, (host.pid, signal.SIGKILL)).start()
        return original(self, texts)

    monkeypatch.setattr(HostedEmbedder, "embed", dying_embed)
    from desktop.files import collect_sources

    sources, _missing = collect_sources([str(folder)], CancelToken())
    report = ws.knowledge.ingest(owner, kb.name, sources)
    added = sorted(entry["name"] for entry in report.added)
    assert added == ["doc0.txt", "doc2.txt"]
    (failure,) = report.failed
    assert failure["name"] == "doc1.txt" and failure["stage"] == "embed"
    assert "SIGKILL" in failure["error"]
    docs = sorted(d.name for d in ws.knowledge.documents(owner, kb.name))
    assert docs == ["doc0.txt", "doc2.txt"]  # nothing half-stored
    assert ws.store.verify_audit().ok


def test_no_orphan_host_after_the_parent_is_killed(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "import time",
            "from desktop.modelhost.client import HostProcess",
            "host = HostProcess('orphan-test')",
            "host.request('warm', runtimes=['llama'])",
            "print(host.pid, flush=True)",
            "time.sleep(600)",
        ]
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert parent.stdout is not None
    host_pid = int(parent.stdout.readline())
    assert not gone(host_pid, timeout=0.2)
    parent.kill()
    parent.wait()
    assert gone(host_pid), "the model host outlived Kura"


def test_host_is_confined_and_gets_no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    monkeypatch.setenv("KURA_DATA_DIR", "/secret/workspace")
    host = HostProcess("confined")
    try:
        info, _ = host.request("info")
        environ = Path(f"/proc/{host.pid}/environ").read_bytes().split(b"\0")
        status = Path(f"/proc/{host.pid}/status").read_text()
    finally:
        host.close()
    assert not any(v.startswith((b"DBUS_", b"KURA_DATA_DIR")) for v in environ)
    assert "NoNewPrivs:\t1" in status
    confinement = info["confinement"]
    if sys.platform.startswith("linux"):
        assert confinement["no_new_privs"] == "on"
        assert "refused" in confinement["seccomp"], confinement
        assert "Seccomp:\t2" in status


_CHAT_AND_EMBED = "\n".join(
    [
        "import json, sys",
        "from pathlib import Path",
        "from desktop import app",
        "from desktop.core.chat_models import ChatMessage, LoadSettings, SamplingParams",
        "from desktop.core.tasks import CancelToken",
        "from desktop.inference.gguf import GgufModelInspector",
        "engines = app.Engines.local()",
        "m, path = engines.chat_model, sys.argv[1]",
        "m.load(path, 'demo', LoadSettings(n_ctx=512), GgufModelInspector().inspect(path))",
        "answer = ''.join(m.generate(m.render([ChatMessage('user', 'Hi')]),",
        "                 SamplingParams(max_tokens=8, seed=1), CancelToken()))",
        "engines.embedder_factory('').embed(['a sentence'])",
        "maps = Path('/proc/self/maps').read_text()",
        "print(json.dumps({'answer': answer, 'host': m.host.pid,",
        f"                  'mapped': [n for n in {RUNTIME_LIBS!r} if n in maps]}}))",
        "engines.close()",
    ]
)


def test_kura_process_maps_no_runtime_after_chat_and_embedding(demo_model_path: Path) -> None:
    """In a fresh process (this test process may have loaded the runtimes itself)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHAT_AND_EMBED, str(demo_model_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=True,
    )
    import json

    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["answer"] and result["host"]
    assert result["mapped"] == [], result["mapped"]


def test_cli_chat_survives_a_host_crash(tmp_path: Path, demo_model_path: Path) -> None:
    require_secret_service()
    kura = Kura(tmp_path / "ws", tmp_path / "tmp")
    kura.init("owner", PW)
    user = ("--user", "owner", "--password-stdin")
    assert (
        kura("models", "add", str(demo_model_path), "--name", "demo", *user, stdin=PW + "\n").code
        == 0
    )
    assert (
        kura(
            "apps",
            "create",
            "--name",
            "helper",
            "--model",
            "demo",
            "--param",
            "max_tokens=300",
            "--param",
            "temperature=0",
            *user,
            stdin=PW + "\n",
        ).code
        == 0
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop",
            "chat",
            "helper",
            "--message",
            "Count from one to one hundred in words.",
            *user,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=kura.env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write((PW + "\n").encode())
    proc.stdin.close()
    proc.stdout.read(1)  # the answer has begun streaming
    hosts = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    for pid in hosts:
        if b"modelhost" in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGSEGV)
    assert proc.stderr is not None
    proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert proc.returncode != 0
    assert len(lines) == 1 and "SIGSEGV" in lines[0] and "Traceback" not in err.decode(), err
    res = kura("logs", "export", "--out", str(tmp_path / "b.zip"), *user, stdin=PW + "\n")
    assert res.code == 0, res.err
    fingerprint = res.out.rsplit("signed by ", 1)[1].rstrip().rstrip(".")
    assert kura("verify", str(tmp_path / "b.zip"), "--fingerprint", fingerprint).code == 0
