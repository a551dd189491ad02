"""A real chat on the demo GGUF: through the CLI and the services, streaming, audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.integration.cli_support import Kura, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

PW = "correct horse battery staple"
MEMBER_PW = "member passphrase 1234"


@pytest.fixture
def kura(tmp_path: Path, demo_model_path: Path) -> Kura:
    require_secret_service()
    k = Kura(tmp_path / "ws", tmp_path / "tmp")
    k.init("owner", PW)
    res = k(
        "models",
        "add",
        str(demo_model_path),
        "--name",
        "demo",
        "--ctx",
        "1024",
        "--user",
        "owner",
        "--password-stdin",
        "--json",
        stdin=PW + "\n",
    )
    assert res.code == 0, res.err
    res = k(
        "apps",
        "create",
        "--name",
        "helper",
        "--model",
        "demo",
        "--system-prompt",
        "You are a terse assistant for {{team}}.",
        "--param",
        "max_tokens=24",
        "--param",
        "temperature=0",
        "--param",
        "seed=7",
        "--user",
        "owner",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert res.code == 0, res.err
    return k


def _as_owner(k: Kura, *args: str):  # type: ignore[no-untyped-def]
    return k(*args, "--user", "owner", "--password-stdin", stdin=PW + "\n")


def test_model_metadata_is_read_without_loading(kura: Kura) -> None:
    listed = _as_owner(kura, "models", "list", "--json").json()["models"]
    info = listed[0]["info"]
    assert info["architecture"] == "gemma3" and info["quantization"] == "Q4_K_M"
    assert listed[0]["has_chat_template"] is False  # this GGUF carries none: fallback
    assert listed[0]["template"] == "plain"  # a base Gemma: the plain Question/Answer text
    assert len(listed[0]["sha256"]) == 64


def test_real_chat_streams_and_is_audited(kura: Kura) -> None:
    res = _as_owner(
        kura, "chat", "helper", "--message", "Say hello.", "--var", "team=ops", "--json"
    )
    assert res.code == 0, res.err
    doc = res.json()
    assert set(doc) >= {"conversation_id", "message_id", "text", "stop_reason", "usage", "timings"}
    assert doc["text"].strip() and doc["stop_reason"] in ("stop", "length")
    assert doc["usage"]["prompt_tokens"] > 5 and 0 < doc["usage"]["completion_tokens"] <= 24
    assert doc["timings"]["ttft_ms"] > 0

    streamed = kura(  # the message from stdin, after the password: not in shell history
        "chat",
        "helper",
        "--message",
        "-",
        "--conversation",
        str(doc["conversation_id"]),
        "--user",
        "owner",
        "--password-stdin",
        stdin=f"{PW}\nAnd goodbye?\n",
    )
    assert streamed.code == 0 and streamed.out.strip(), streamed.err
    assert "tok/s" in streamed.err

    from desktop import app

    with app.open_workspace(kura.data_dir, key_store=app.default_key_store()) as ws:
        with ws.store.transaction() as tx:
            turns = [e.payload for e in tx.audit.iter_events() if e.action == "chat.turn"]
        assert ws.store.verify_audit().ok
    assert [t["input"] for t in turns] == ["Say hello.", "And goodbye?"]  # type: ignore[index]
    assert turns[0]["output"] == doc["text"]  # type: ignore[index]
    assert turns[0]["model"]["sha256"] and turns[0]["params"]["seed"] == 7  # type: ignore[index]
    assert kura("doctor").code == 0


def test_members_cannot_manage_apps_and_see_only_visible_ones(kura: Kura) -> None:
    for name in ("mo", "mia"):
        res = kura(
            "users",
            "add",
            name,
            "--role",
            "member",
            "--user",
            "owner",
            "--password-stdin",
            stdin=f"{PW}\n{MEMBER_PW}\n",
        )
        assert res.code == 0, res.err
    assert (
        _as_owner(kura, "apps", "edit", "helper", "--visibility", "partial", "--member", "mia").code
        == 0
    )
    as_mo = kura(
        "apps",
        "create",
        "--name",
        "x",
        "--model",
        "demo",
        "--user",
        "mo",
        "--password-stdin",
        stdin=MEMBER_PW + "\n",
    )
    assert as_mo.code == 3 and len(as_mo.err_lines) == 1
    listed = kura(
        "apps", "list", "--json", "--user", "mo", "--password-stdin", stdin=MEMBER_PW + "\n"
    )
    assert listed.json()["apps"] == []
    hidden = kura(
        "chat",
        "helper",
        "--message",
        "hi",
        "--user",
        "mo",
        "--password-stdin",
        stdin=MEMBER_PW + "\n",
    )
    assert hidden.code == 2 and "no app" in hidden.err
    mia = kura(
        "apps", "list", "--json", "--user", "mia", "--password-stdin", stdin=MEMBER_PW + "\n"
    )
    assert [a["name"] for a in mia.json()["apps"]] == ["helper"]


@pytest.mark.parametrize("case", ["not_gguf", "truncated", "missing"])
def test_bad_model_files_are_refused_in_one_line(
    kura: Kura, tmp_path: Path, demo_model_path: Path, case: str
) -> None:
    bad = tmp_path / f"{case}.gguf"
    if case == "not_gguf":
        bad.write_text("just some text, not a model")
    elif case == "truncated":
        with demo_model_path.open("rb") as src:
            bad.write_bytes(src.read(3_000_000))
    res = _as_owner(kura, "models", "add", str(bad), "--name", case)
    assert res.code == 2 and len(res.err_lines) == 1, res.err
    assert "Traceback" not in res.err
    assert len(_as_owner(kura, "models", "list", "--json").json()["models"]) == 1


def test_changed_model_file_and_impossible_gpu_layers(
    kura: Kura, tmp_path: Path, demo_model_path: Path
) -> None:
    copy = tmp_path / "copy.gguf"
    shutil.copyfile(demo_model_path, copy)
    assert _as_owner(kura, "models", "add", str(copy), "--name", "copy").code == 0
    assert _as_owner(kura, "apps", "edit", "helper", "--model", "copy").code == 0
    with copy.open("r+b") as fh:
        fh.seek(-10, 2)
        fh.write(b"0123456789")
    changed = _as_owner(kura, "chat", "helper", "--message", "hi", "--var", "team=x")
    assert changed.code == 1 and "changed" in changed.err and len(changed.err_lines) == 1

    assert _as_owner(kura, "apps", "edit", "helper", "--model", "demo").code == 0
    assert _as_owner(kura, "models", "set", "demo", "--gpu-layers", "8").code == 0
    gpu = _as_owner(kura, "chat", "helper", "--message", "hi", "--var", "team=x")
    assert gpu.code == 2 and "GPU" in gpu.err and len(gpu.err_lines) == 1, gpu.err
    assert _as_owner(kura, "models", "set", "demo", "--gpu-layers", "auto").code == 0
    ok = _as_owner(kura, "chat", "helper", "--message", "hi", "--var", "team=x", "--json")
    assert ok.code == 0 and ok.json()["text"].strip()
    convs = _as_owner(kura, "conversations", "list", "--json").json()["conversations"]
    assert len(convs) == 1  # the failed attempts left no conversation behind


def test_long_conversations_drop_old_turns_and_a_huge_message_is_refused(kura: Kura) -> None:
    assert _as_owner(kura, "models", "set", "demo", "--ctx", "256").code == 0
    conv = None
    dropped = 0
    # the demo's answers end at a blank line (short): long questions fill the 256 tokens
    for i in range(6):
        args = [
            "chat",
            "helper",
            "--json",
            "--message",
            f"Turn {i}: " + "please summarise the history of tea in detail. " * 4,
        ]
        args += ["--conversation", str(conv)] if conv else ["--var", "team=ops"]
        res = _as_owner(kura, *args)
        assert res.code == 0, res.err
        conv = res.json()["conversation_id"]
        dropped = res.json()["dropped_turns"]
    assert dropped > 0
    huge = _as_owner(kura, "chat", "helper", "--message", "tea " * 400, "--var", "team=ops")
    assert huge.code == 2 and "too long" in huge.err and len(huge.err_lines) == 1


def test_conversations_show_rename_regenerate_and_delete(kura: Kura) -> None:
    first = _as_owner(kura, "chat", "helper", "--message", "Say hi.", "--var", "team=ops", "--json")
    assert first.code == 0, first.err
    conv = str(first.json()["conversation_id"])
    shown = _as_owner(kura, "conversations", "show", conv)
    assert shown.code == 0 and shown.out.startswith("> Say hi.\n"), shown.err
    renamed = _as_owner(kura, "conversations", "rename", conv, "Greetings")
    assert renamed.out == f"Renamed conversation {conv}.\n", renamed.err
    listed = _as_owner(kura, "conversations", "list").out
    assert "Greetings" in listed
    again = _as_owner(kura, "conversations", "regenerate", conv)
    assert again.code == 0 and again.out.strip() and "tok/s" in again.err, again.err
    deleted = _as_owner(kura, "conversations", "delete", conv, "--json")
    assert deleted.code == 0 and deleted.json() == {"deleted": int(conv)}, deleted.err
    assert _as_owner(kura, "conversations", "list").out == "no conversations yet\n"
