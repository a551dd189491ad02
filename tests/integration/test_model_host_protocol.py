"""The client against a host that misbehaves: Kura's side fails the one request with
ModelProcessStopped and never hangs, whatever the child sends or does."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from desktop.core.errors import GenerationFailed, InputError, ModelProcessStopped
from desktop.core.messages import Language, Term
from desktop.modelhost import client
from desktop.modelhost.client import HostProcess
from desktop.modelhost.wire import VERSION
from desktop.modelhost.wire_errors import encode_error

HELLO = (
    "import json, struct, sys, time\n"
    "out = sys.stdout.buffer\n"
    "def send(obj, raw=None):\n"
    "    head = raw if raw is not None else json.dumps(obj).encode()\n"
    "    out.write(struct.pack('!II', len(head), 0) + head); out.flush()\n"
    f"send({{'op': 'hello', 'v': {VERSION}, 'pid': 0, 'confinement': {{}}}})\n"
    "sys.stdin.buffer.read(8)\n"
)
BEHAVIOURS = {
    "deeply nested JSON": "send(None, b'[' * 100000 + b']' * 100000)\ntime.sleep(60)\n",
    "a frame over the size limit": "out.write(struct.pack('!II', 1 << 30, 0)); out.flush()\n"
    "time.sleep(60)\n",
    "an id that is not an integer": "send({'id': True, 'ok': True})\ntime.sleep(60)\n",
    "an error that is not an object": "send({'id': 1, 'error': 'boom'})\ntime.sleep(60)\n",
    "exiting with a code": "sys.exit(3)\n",
}


@pytest.fixture
def fake_host(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def make(behaviour: str) -> HostProcess:
        script = HELLO + behaviour
        monkeypatch.setattr(client, "host_command", lambda: [sys.executable, "-c", script, "--"])
        return HostProcess("fake")

    return make


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_a_broken_reply_fails_the_request_and_the_host_is_replaced(
    fake_host,
    name: str,  # type: ignore[no-untyped-def]
) -> None:
    host = fake_host(BEHAVIOURS[name])
    started = time.monotonic()
    with pytest.raises(ModelProcessStopped) as caught:
        host.request("info")
    assert time.monotonic() - started < 30
    assert "\n" not in caught.value.message
    assert not host.alive
    host.close()


def test_close_stops_a_host_that_hangs_mid_request(fake_host) -> None:  # type: ignore[no-untyped-def]
    host = fake_host("time.sleep(600)\n")
    failures: list[BaseException] = []

    def ask() -> None:
        try:
            host.request("embed.encode", folder="", texts=["x"])
        except BaseException as exc:
            failures.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.5)
    started = time.monotonic()
    host.close()  # does not wait for the request it interrupts
    asker.join(30)
    assert not asker.is_alive() and time.monotonic() - started < 15
    assert isinstance(failures[0], ModelProcessStopped)


def test_a_host_error_crosses_the_wire_with_its_code_and_renders_in_japanese() -> None:
    """The real host: the error it raises arrives with its class, code and parameters (a
    Term among them), and Kura's process words it in the user's language."""
    host = HostProcess("wire")
    try:
        with pytest.raises(InputError) as unknown:
            host.request("no.such.op")
        assert unknown.value.code == "models.host_unknown_request"
        assert unknown.value.params == {"op": "no.such.op"}
        assert unknown.value.message == "the model host does not know 'no.such.op': update Kura"
        assert "「no.such.op」という要求を知りません" in unknown.value.render(Language.JA)

        settings = {"n_ctx": 4096, "n_wrong": 1}
        with pytest.raises(InputError) as invalid:
            host.request("chat.load", path="x.gguf", sha256="0", settings=settings, info={})
        assert invalid.value.code == "models.unknown_fields"
        assert invalid.value.params["what"] == Term("models.what.load_settings")
        assert invalid.value.message.startswith("unknown model settings: n_wrong (known: ")
        assert invalid.value.render(Language.JA).startswith("不明なモデルの設定です: n_wrong")
    finally:
        host.close()


def test_terms_nested_errors_and_the_signal_name_are_rebuilt(fake_host) -> None:  # type: ignore[no-untyped-def]
    inner = encode_error(InputError("accounts.password_too_short", length=3, minimum=12))
    sent = {
        "type": "ModelProcessStopped",
        "code": "models.host_stopped_signal",
        "params": {"signal": "SIGSEGV", "advice": {"term": "models.advice.embed"}},
        "details": "a log line",
        "signal_name": "SIGSEGV",
    }
    wrapped = {
        "type": "GenerationFailed",
        "code": "common.cli_error",
        "params": {"message": {"error": inner}},
    }
    unknown_code = {"type": "InputError", "code": "nope", "message": "old words"}
    replies = ((1, sent), (2, wrapped), (3, unknown_code))  # queued, read in turn
    behaviour = "".join(f"send({{'id': {rid}, 'error': {error!r}}})\n" for rid, error in replies)
    behaviour += "time.sleep(60)\n"
    host = fake_host(behaviour)
    try:
        with pytest.raises(ModelProcessStopped) as stopped:
            host.request("info")
        assert stopped.value.signal_name == "SIGSEGV" and stopped.value.details == "a log line"
        assert "埋め込みモデルのフォルダーを確かめる" in stopped.value.render(Language.JA)
        with pytest.raises(GenerationFailed) as nested:
            host.request("info")
        assert nested.value.render(Language.JA).startswith("kura: エラー: パスワードが短すぎます")
        with pytest.raises(InputError) as unknown:
            host.request("info")
        assert unknown.value.code == "models.host_failed" and "old words" in unknown.value.details
    finally:
        host.close()
