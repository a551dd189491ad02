"""The spare connection of a remote model: opened when the model is loaded, so its
handshakes overlap the chat service's commit of the pending turn; not one byte of the
question leaves before that commit; a stale, dropped or failed spare is never used."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from desktop import app
from desktop.core.chat_models import (
    AppConfig,
    ChatMessage,
    GgufInfo,
    LoadSettings,
    SamplingParams,
)
from desktop.core.errors import GenerationFailed
from desktop.core.models import Actor, AuditEvent
from desktop.core.remote import REMOTE_ARCHITECTURE, RemoteEndpoint
from desktop.core.services.chat import ChatService
from desktop.core.services.remote_models import RemoteRegistration
from desktop.core.tasks import CancelToken
from desktop.remote import http
from desktop.remote.openai import RemoteChatModel, RoutingChatModel, messages_prompt
from desktop.security import netguard
from tests.fake_openai import PIECES, fake_openai


@pytest.fixture(autouse=True)
def _no_allowlist_left() -> Iterator[None]:
    yield
    netguard.allow_connections(())


def _endpoint(port: int) -> RemoteEndpoint:
    return RemoteEndpoint(
        base_url=f"http://127.0.0.1:{port}/v1",
        model_id="served",
        addresses=(("127.0.0.1", port),),
        timeout_s=30.0,
    )


def _model(port: int) -> RemoteChatModel:
    return RemoteChatModel(_endpoint(port), lambda _e: None, "x" * 64)


def _load(model: RemoteChatModel) -> None:
    info = GgufInfo(gguf_version=0, architecture=REMOTE_ARCHITECTURE, name="served")
    model.load("", "x" * 64, LoadSettings(n_ctx=2048), info)


def _answer(model: RemoteChatModel) -> tuple[str, dict[str, object]]:
    prompt = messages_prompt([ChatMessage("user", "hi")])
    generation = model.generate(prompt, SamplingParams(seed=1), CancelToken())
    return "".join(generation), generation.remote


def _events(ws: app.Workspace) -> list[AuditEvent]:
    with ws.store.transaction() as tx:
        return list(tx.audit.iter_events())


def test_a_turn_commits_its_question_before_a_byte_is_sent_on_the_spare(
    ws: app.Workspace, people: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    start, send = ChatService._start, http._PinnedConnection.request

    def committed(self: ChatService, *args: object) -> object:
        result = start(self, *args)  # type: ignore[arg-type]
        order.append("committed")
        return result

    def sent(self: http._PinnedConnection, *args: object, **kwargs: object) -> None:
        order.append("sent")
        send(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ChatService, "_start", committed)
    monkeypatch.setattr(http._PinnedConnection, "request", sent)
    owner = people["owner"]
    with fake_openai("ok") as server:
        reg = RemoteRegistration("gpu", f"http://127.0.0.1:{server.port}/v1", "served")
        model = ws.remote_models.register(owner, reg)
        ws.apps.create(owner, AppConfig(name="r", model_id=model.id))
        first = ws.chat.send(owner, "r", "What is Kura?")
        second = ws.chat.send(owner, "r", "And again?", conversation_id=first.conversation_id)
    assert first.turn.answer == second.turn.answer == "".join(PIECES)
    assert order == ["committed", "sent", "committed", "sent"]
    turns = [e.payload or {} for e in _events(ws) if e.action == "chat.turn"]
    assert [p["remote"]["preconnected"] for p in turns] == [True, True]
    asked = [e.payload or {} for e in _events(ws) if e.action == "chat.asked"]
    assert [p["turn_id"] for p in asked] == [first.turn.id, second.turn.id]
    assert len(server.requests) == 2


def test_an_old_spare_is_closed_and_the_request_connects_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(http, "SPARE_MAX_AGE_S", 0.0)
    with fake_openai("ok") as server:
        model = _model(server.port)
        _load(model)
        text, remote = _answer(model)
    assert text == "".join(PIECES) and remote["preconnected"] is False
    # the spare was closed with nothing sent on it: the server read an empty request
    assert sorted(r["line"] for r in server.requests) == ["", "POST /v1/chat/completions HTTP/1.1"]


def test_a_spare_that_could_not_connect_is_the_first_of_the_bounded_tries() -> None:
    with fake_openai("ok") as server:
        server.stop()  # nothing listens on its port any more
        model = _model(server.port)
        _load(model)
        with pytest.raises(GenerationFailed) as caught:
            _answer(model)
    assert caught.value.code == "remote.unreachable_after"
    assert caught.value.params["attempts"] == 3


def test_a_connection_the_server_has_closed_reads_as_dropped() -> None:
    ours, theirs = socket.socketpair()
    conn = http._PinnedConnection(_endpoint(1), 5.0)
    conn.sock = ours
    try:
        assert not http._dropped(conn)
        theirs.close()
        assert http._dropped(conn)
    finally:
        ours.close()


def test_closing_the_workspace_closes_a_spare_no_turn_used() -> None:
    """A spare opened by a load whose turn never sent (refused after loading) is closed
    when the workspace releases its chat model, not left to the garbage collector."""
    with fake_openai("ok") as server:
        model = _model(server.port)
        router = RoutingChatModel(object(), lambda _sha: model)
        info = GgufInfo(gguf_version=0, architecture=REMOTE_ARCHITECTURE, name="served")
        router.load("", "x" * 64, LoadSettings(n_ctx=2048), info)
        spare = model._spare
        assert spare is not None
        assert spare._done.wait(10)  # the handshake is done
        connected = spare._conn
        assert connected is not None and connected.sock is not None
        router.release_remote()
        assert model._spare is None and connected.sock is None
        deadline = time.monotonic() + 5
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.01)
    assert [r["line"] for r in server.requests] == [""]  # closed with nothing sent
