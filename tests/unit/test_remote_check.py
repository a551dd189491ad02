"""The connection test at registration: ``GET /models`` through the pinned adapter
before anything is stored; a misbehaving server (a socket server in the test) is one
line naming the server's failure and the ``--no-check`` remedy, registers nothing and
leaves the guard's allowlist as it was; ``check=False`` registers a server that is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop import app
from desktop.core.errors import EXIT_CHECK_FAILED, PermissionDenied, RemoteCheckFailed
from desktop.core.messages import Language, Surface
from desktop.core.models import Actor, AuditEvent
from desktop.core.services.remote_models import RemoteRegistration
from desktop.security import netguard
from tests.fake_openai import fake_openai

CANARY = "sk-CHECKCANARY-0d9e8f"


@pytest.fixture(autouse=True)
def _no_allowlist_left() -> Iterator[None]:
    yield
    netguard.allow_connections(())


def _reg(port: int, **changes: object) -> RemoteRegistration:
    fields: dict[str, object] = {
        "name": "gpu",
        "base_url": f"http://127.0.0.1:{port}/v1",
        "model_id": "served-model",
        "api_key": CANARY,
        "check": True,
    }
    return RemoteRegistration(**(fields | changes))  # type: ignore[arg-type]


def _events(ws: app.Workspace) -> list[AuditEvent]:
    with ws.store.transaction() as tx:
        return list(tx.audit.iter_events())


def test_a_server_that_answers_is_registered_with_what_it_lists(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with fake_openai("ok") as server:
        record, checked = ws.remote_models.register_checked(people["owner"], _reg(server.port))
        assert ws.remote_models.allowed_egress() == (("127.0.0.1", server.port),)
    assert checked is not None and checked.models == ("served-model",)
    assert checked.lists("served-model") and checked.ms > 0
    assert [r["line"] for r in server.requests] == ["GET /v1/models HTTP/1.1"]
    assert server.headers[0]["authorization"] == f"Bearer {CANARY}"
    event = next(e for e in reversed(_events(ws)) if e.action == "model.registered")
    assert (event.payload or {})["check"]["models"] == ["served-model"]
    assert CANARY not in repr(event.payload)
    assert record.endpoint is not None


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("429", "remote.busy"),
        ("500", "remote.server_error"),
        ("garbage", "remote.malformed"),
        ("stall", "remote.timeout"),
        ("down", "remote.unreachable_after"),
    ],
)
def test_a_misbehaving_server_is_one_line_and_registers_nothing(
    ws: app.Workspace, people: dict[str, Actor], mode: str, reason: str
) -> None:
    with fake_openai("ok" if mode == "down" else mode) as server:
        if mode == "down":
            server.stop()  # nothing listens on its port any more
        allowed = netguard.allowed_connections()
        with pytest.raises(RemoteCheckFailed) as caught:
            ws.remote_models.register(people["owner"], _reg(server.port, timeout_s=1.0))
        assert netguard.allowed_connections() == allowed  # as it was before the test
    failure = caught.value
    assert failure.exit_code == EXIT_CHECK_FAILED
    assert failure.params["reason"].code == reason
    for language in Language:
        for surface in Surface:
            text = failure.render(language, surface)
            assert "\n" not in text and "{" not in text and f"127.0.0.1:{server.port}" in text
    assert "--no-check" in failure.render(Language.EN, Surface.CLI)
    assert ws.models.list(people["owner"]) == []
    assert not [e for e in _events(ws) if e.action == "model.registered"]


def test_without_the_check_a_server_that_is_down_is_registered(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with fake_openai("ok") as server:
        server.stop()
        record, checked = ws.remote_models.register_checked(
            people["owner"], _reg(server.port, check=False)
        )
    assert checked is None and record.endpoint is not None
    event = next(e for e in reversed(_events(ws)) if e.action == "model.registered")
    assert (event.payload or {})["check"] == {"skipped": True}


def test_a_member_is_refused_before_the_server_is_tried(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with fake_openai("ok") as server, pytest.raises(PermissionDenied):
        ws.remote_models.register(people["mo"], _reg(server.port))
    assert server.requests == []
