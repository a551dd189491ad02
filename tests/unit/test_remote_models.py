"""Remote OpenAI-compatible models: registration (Owner only, key in the keyring only,
TLS or loopback), the egress allowlist they set, a chat turn through one with its
trace, and the one-line outcomes of a misbehaving server (a socket server in the test)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, ChatMessage, SamplingParams, StopReason
from desktop.core.errors import (
    EmbeddingFailed,
    GenerationFailed,
    InputError,
    ModelNotFound,
    PermissionDenied,
)
from desktop.core.keyring_items import endpoint_key_item
from desktop.core.knowledge_models import KbSettings, RetrievalMode
from desktop.core.messages import render
from desktop.core.models import Actor, AuditEvent
from desktop.core.remote import RemoteEndpoint, RemoteKind
from desktop.core.services.remote_models import RemoteRegistration
from desktop.core.tasks import CancelToken
from desktop.remote.openai import RemoteChatModel, RemoteEmbedder, messages_prompt
from desktop.security import netguard
from tests.fake_openai import PIECES, fake_openai
from tests.fakes import MemoryKeyStore, MemorySource

CANARY = "sk-CANARY-7f3a9c1e5b"


@pytest.fixture(autouse=True)
def _no_allowlist_left() -> Iterator[None]:
    """The guard of the test process allows no address after a test."""
    yield
    netguard.allow_connections(())


def _endpoint(port: int, timeout: float = 30.0) -> RemoteEndpoint:
    return RemoteEndpoint(
        base_url=f"http://127.0.0.1:{port}/v1",
        model_id="served",
        addresses=(("127.0.0.1", port),),
        timeout_s=timeout,
    )


def _model(port: int, timeout: float = 30.0) -> RemoteChatModel:
    return RemoteChatModel(_endpoint(port, timeout), lambda _e: CANARY, "x" * 64)


def _prompt() -> str:
    return messages_prompt([ChatMessage("user", "hi")])


def _drain(model: RemoteChatModel, cancel: CancelToken | None = None) -> tuple[list[str], object]:
    generation = model.generate(_prompt(), SamplingParams(seed=3), cancel or CancelToken())
    pieces: list[str] = []
    try:
        for piece in generation:
            pieces.append(piece)
    except GenerationFailed as exc:
        return pieces, exc
    return pieces, generation


# ---------------------------------------------------------------- the adapter


def test_a_stream_arrives_with_usage_model_and_request() -> None:
    with fake_openai("ok") as server:
        pieces, generation = _drain(_model(server.port))
    assert "".join(pieces) == "".join(PIECES)
    remote = generation.remote  # type: ignore[attr-defined]
    assert remote["model_reported"] == "served-model"
    assert remote["usage"]["completion_tokens"] == 4
    assert remote["request"]["seed"] == 3 and remote["request"]["temperature"] == 0.2
    assert set(remote["timings"]) == {"connect_ms", "headers_ms", "ttft_ms", "total_ms"}
    assert generation.stop_reason == StopReason.STOP  # type: ignore[attr-defined]
    sent = server.requests[0]
    assert sent["stream"] is True and sent["messages"] == [{"role": "user", "content": "hi"}]
    assert server.headers[0]["authorization"] == f"Bearer {CANARY}"


@pytest.mark.parametrize(
    ("mode", "code", "kept"),
    [
        ("drop", "remote.stream_dropped", 2),
        ("garbage", "remote.malformed", 0),
        ("429", "remote.busy", 0),
        ("500", "remote.server_error", 0),
    ],
)
def test_a_misbehaving_server_is_one_line(mode: str, code: str, kept: int) -> None:
    with fake_openai(mode) as server:
        pieces, outcome = _drain(_model(server.port))
    assert isinstance(outcome, GenerationFailed) and outcome.code == code
    assert len(pieces) == kept  # what came before the failure reaches the caller
    for language in ("en", "ja"):
        text = outcome.render(language=language)  # type: ignore[arg-type]
        assert "\n" not in text and "{" not in text
    if mode in ("429", "500"):
        assert len(server.requests) == 3  # bounded retries, only before the first token
    else:
        assert len(server.requests) == 1


def test_a_stalled_stream_times_out_and_keeps_what_came() -> None:
    with fake_openai("stall") as server:
        pieces, outcome = _drain(_model(server.port, timeout=1.0))
    assert isinstance(outcome, GenerationFailed) and outcome.code == "remote.stalled"
    assert pieces == list(PIECES[:2])


def test_stop_wakes_a_stalled_read_and_keeps_the_partial_answer() -> None:
    cancel = CancelToken()
    with fake_openai("stall") as server:
        generation = _model(server.port, timeout=600.0).generate(
            _prompt(), SamplingParams(), cancel
        )
        pieces = []
        for piece in generation:
            pieces.append(piece)
            if len(pieces) == 2:
                threading.Timer(0.05, cancel.cancel).start()
    assert pieces == list(PIECES[:2])
    assert generation.stop_reason == StopReason.CANCELLED


def test_a_server_that_is_down_is_tried_three_times() -> None:
    with fake_openai("ok") as server:
        server.stop()  # nothing listens on its port any more
        pieces, outcome = _drain(_model(server.port))
    assert isinstance(outcome, GenerationFailed) and outcome.code == "remote.unreachable_after"
    assert outcome.params["attempts"] == 3 and pieces == []


def test_embeddings_are_normalised_rows() -> None:
    with fake_openai("ok") as server:
        endpoint = _endpoint(server.port)
        vectors = RemoteEmbedder(endpoint, lambda _e: None).embed(["a", "b"])
    assert vectors.shape == (2, 8)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-5
    assert server.requests[0]["input"] == ["a", "b"]


def test_embeddings_from_a_failing_server_are_one_line() -> None:
    with fake_openai("500") as server, pytest.raises(EmbeddingFailed) as caught:
        RemoteEmbedder(_endpoint(server.port), lambda _e: None).embed(["a"])
    assert caught.value.code == "remote.server_error"


# ---------------------------------------------------------------- the service


def _events(ws: app.Workspace) -> list[AuditEvent]:
    with ws.store.transaction() as tx:
        return list(tx.audit.iter_events())


def _reg(port: int, **changes: object) -> RemoteRegistration:
    fields: dict[str, object] = {
        "name": "gpu",
        "base_url": f"http://127.0.0.1:{port}/v1",
        "model_id": "served",
        "api_key": CANARY,
    }
    return RemoteRegistration(**(fields | changes))  # type: ignore[arg-type]


def test_registration_keeps_the_key_in_the_keyring_only(
    ws: app.Workspace, people: dict[str, Actor], key_store: MemoryKeyStore
) -> None:
    record = ws.remote_models.register(people["owner"], _reg(8080))
    assert record.endpoint is not None and record.endpoint.key_ref
    item = endpoint_key_item(ws.workspace_id, record.endpoint.key_ref)
    assert key_store.get_secret(item) == CANARY.encode()
    assert CANARY not in repr(record.public_dict())
    assert CANARY not in repr(_events(ws))
    assert ws.remote_models.allowed_egress() == (("127.0.0.1", 8080),)
    assert item in ws.diagnostics.keyring_items()
    ws.remote_models.remove(people["owner"], "gpu")
    assert key_store.get_secret(item) is None
    assert ws.remote_models.allowed_egress() == ()


def test_a_member_can_neither_read_nor_change_endpoints(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ws.remote_models.register(people["owner"], _reg(8080))
    for who in ("mo", "eve", "ada"):
        with pytest.raises(PermissionDenied):
            ws.remote_models.endpoints(people[who])
        with pytest.raises(PermissionDenied):
            ws.remote_models.register(people[who], _reg(8081, name="mine"))
        with pytest.raises(PermissionDenied):
            ws.remote_models.remove(people[who], "gpu")
        seen = ws.models.get(people[who], "gpu")
        assert seen.path == "" and seen.endpoint is not None and seen.endpoint.base_url == ""
        assert "8080" not in repr(seen.public_dict())
    assert ws.models.get(people["owner"], "gpu").path == "http://127.0.0.1:8080/v1"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"base_url": "http://192.0.2.7:8000/v1"}, "remote.http_not_loopback"),
        ({"base_url": "https://192.0.2.7:8443/v1"}, "remote.https_needs_trust"),
        ({"base_url": "ftp://127.0.0.1/v1"}, "remote.url_invalid"),
        ({"base_url": "http://u:p@127.0.0.1:1/v1"}, "remote.url_extras"),
        ({"base_url": "https://192.0.2.7/v1", "pin_sha256": "ab"}, "remote.pin_invalid"),
        (
            {"base_url": "https://192.0.2.7/v1", "pin_sha256": "a" * 64, "ca_pem": "x"},
            "remote.ca_and_pin",
        ),
        ({"pin_sha256": "a" * 64}, "remote.trust_needs_https"),
        ({"model_id": "has space"}, "remote.model_id_invalid"),
        ({"api_key": "bad key"}, "remote.api_key_invalid"),
    ],
)
def test_bad_registrations_are_refused(
    ws: app.Workspace, people: dict[str, Actor], changes: dict[str, object], code: str
) -> None:
    with pytest.raises(InputError) as caught:
        ws.remote_models.register(people["owner"], _reg(8080, **changes))
    assert caught.value.code == code
    assert "\n" not in render(caught.value.code, caught.value.params)
    assert ws.remote_models.allowed_egress() == ()


def test_an_https_endpoint_with_a_pin_is_pinned_to_its_address(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    pin = "AB:" * 31 + "AB"
    reg = _reg(0, base_url="https://192.0.2.7:8443/v1", pin_sha256=pin, api_key=None)
    record = ws.remote_models.register(people["owner"], reg)
    assert record.endpoint is not None
    assert record.endpoint.pin_sha256 == "ab" * 32 and record.endpoint.key_ref is None
    assert record.endpoint.addresses == (("192.0.2.7", 8443),)


def test_a_model_an_app_uses_is_not_removed(ws: app.Workspace, people: dict[str, Actor]) -> None:
    model = ws.remote_models.register(people["owner"], _reg(8080))
    ws.apps.create(people["owner"], AppConfig(name="a", model_id=model.id))
    with pytest.raises(InputError) as caught:
        ws.remote_models.remove(people["owner"], "gpu")
    assert caught.value.code == "remote.model_in_use"
    with pytest.raises(ModelNotFound):
        ws.remote_models.remove(people["owner"], "nothing")


def test_a_chat_turn_on_a_remote_model_records_the_server_in_its_trace(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    owner = people["owner"]
    with fake_openai("ok") as server:
        model = ws.remote_models.register(owner, _reg(server.port, kind=RemoteKind.CHAT))
        params = SamplingParams(max_tokens=16, seed=5)
        app_id = ws.apps.create(owner, AppConfig(name="r", model_id=model.id, params=params)).id
        result = ws.chat.send(people["mo"], app_id, "What is Kura?")
    assert result.turn.answer == "".join(PIECES)
    assert result.turn.usage["completion_tokens"] == 4
    event = next(e for e in reversed(_events(ws)) if e.action == "chat.turn")
    remote = event.payload["remote"]
    assert remote["endpoint"] == f"http://127.0.0.1:{server.port}/v1"
    assert remote["model_reported"] == "served-model"
    assert remote["request"]["max_tokens"] == 16 and remote["request"]["seed"] == 5
    assert remote["usage"]["total_tokens"] == 15
    assert event.payload["model"]["template"] == "server"
    assert CANARY not in repr(event.payload)
    assert server.requests[0]["messages"][-1] == {"role": "user", "content": "What is Kura?"}


def test_a_knowledge_base_embeds_through_a_remote_embedding_model(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    owner = people["owner"]
    with fake_openai("ok") as server:
        reg = _reg(server.port, name="emb", kind=RemoteKind.EMBEDDING, api_key=None)
        ws.remote_models.register(owner, reg)
        kb = ws.knowledge.create(owner, "kb", settings=KbSettings(embedding_model="remote:emb"))
        ws.knowledge.ingest(owner, kb.id, [MemorySource("a.txt", b"lighthouse keeper storm")])
        hits = ws.knowledge.search(owner, kb.id, "lighthouse storm", mode=RetrievalMode.VECTOR)
    assert hits and "lighthouse" in hits[0].chunk.text
    assert any("/embeddings" in r["line"] for r in server.requests)
    with pytest.raises(ModelNotFound) as caught:
        ws.knowledge.create(owner, "kb2", settings=KbSettings(embedding_model="remote:none"))
        ws.knowledge.ingest(owner, "kb2", [MemorySource("b.txt", b"x")])
    assert caught.value.code == "remote.no_embedding_model"
