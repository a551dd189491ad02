"""Re-resolving a remote model's host name (``kura models refresh-remote``): the Owner
pins the addresses it has now, old -> new, audited; the guard's allowlist and the
model's identity follow; plain http still only to loopback; a Member is refused. The
resolver is a fake injected into the service (the guard's own resolves for real)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop import app
from desktop.core.errors import InputError, ModelNotFound, PermissionDenied
from desktop.core.models import Actor, AuditEvent
from desktop.core.services.remote_models import RemoteRegistration
from desktop.security import netguard


class _Resolver:
    def __init__(self, *ips: str) -> None:
        self.ips = ips
        self.asked: list[tuple[str, int]] = []

    def resolve(self, host: str, port: int) -> tuple[str, ...]:
        self.asked.append((host, port))
        return self.ips


@pytest.fixture(autouse=True)
def _no_allowlist_left() -> Iterator[None]:
    yield
    netguard.allow_connections(())


@pytest.fixture
def resolver(ws: app.Workspace, monkeypatch: pytest.MonkeyPatch) -> _Resolver:
    fake = _Resolver("127.0.0.2")
    monkeypatch.setattr(ws.remote_models, "_resolver", fake)
    return fake


def _events(ws: app.Workspace, action: str) -> list[AuditEvent]:
    with ws.store.transaction() as tx:
        return [e for e in tx.audit.iter_events() if e.action == action]


def _register(ws: app.Workspace, owner: Actor) -> None:
    reg = RemoteRegistration("gpu", "http://inference.internal:8080/v1", "served")
    ws.remote_models.register(owner, reg)


def test_the_owner_pins_what_the_name_resolves_to_now(
    ws: app.Workspace, people: dict[str, Actor], resolver: _Resolver
) -> None:
    owner = people["owner"]
    _register(ws, owner)
    before = ws.models.get(owner, "gpu")
    assert ws.remote_models.allowed_egress() == (("127.0.0.2", 8080),)
    resolver.ips = ("127.0.0.3", "127.0.0.4")
    done = ws.remote_models.refresh(owner, "gpu")
    assert done.changed and done.host == "inference.internal"
    assert done.old == (("127.0.0.2", 8080),)
    assert done.new == (("127.0.0.3", 8080), ("127.0.0.4", 8080))
    assert ws.remote_models.allowed_egress() == done.new
    after = ws.models.get(owner, "gpu")
    assert after.endpoint is not None and after.endpoint.addresses == done.new
    assert after.sha256 != before.sha256 and after.id == before.id
    assert ws.remote_models.endpoint_for(after.sha256) == after.endpoint
    assert ws.remote_models.endpoint_for(before.sha256) is None
    event = _events(ws, "model.refreshed")[-1]
    assert event.payload == {
        "name": "gpu",
        "old": ["127.0.0.2:8080"],
        "new": ["127.0.0.3:8080", "127.0.0.4:8080"],
        "changed": True,
    }
    assert event.actor == "owner"
    again = ws.remote_models.refresh(owner, "gpu")
    assert not again.changed and ws.models.get(owner, "gpu").sha256 == after.sha256
    assert resolver.asked[-1] == ("inference.internal", 8080)


def test_plain_http_to_a_name_that_now_leaves_the_machine_is_refused(
    ws: app.Workspace, people: dict[str, Actor], resolver: _Resolver
) -> None:
    owner = people["owner"]
    _register(ws, owner)
    resolver.ips = ("192.0.2.7",)
    with pytest.raises(InputError) as caught:
        ws.remote_models.refresh(owner, "gpu")
    assert caught.value.code == "remote.http_not_loopback"
    assert ws.remote_models.allowed_egress() == (("127.0.0.2", 8080),)
    resolver.ips = ()
    with pytest.raises(InputError) as unresolved:
        ws.remote_models.refresh(owner, "gpu")
    assert unresolved.value.code == "remote.unresolved"
    assert _events(ws, "model.refreshed") == []


def test_a_member_may_not_refresh_and_a_local_model_is_not_remote(
    ws: app.Workspace, people: dict[str, Actor], resolver: _Resolver
) -> None:
    _register(ws, people["owner"])
    with pytest.raises(PermissionDenied):
        ws.remote_models.refresh(people["mo"], "gpu")
    with pytest.raises(ModelNotFound) as caught:
        ws.remote_models.refresh(people["owner"], "nothing")
    assert caught.value.code == "remote.not_a_remote_model"
    assert resolver.asked == [("inference.internal", 8080)]  # registration only
