"""The personal-data policy applies to what a remote model is sent: with pseudonymise on,
the request that reaches the server carries placeholders, never the values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.models import Actor
from desktop.core.services.remote_models import RemoteRegistration
from desktop.security import netguard
from tests.fake_openai import PIECES, fake_openai
from tests.fakes import FakeChatModel, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.unit.privacy_support import privacy_workspace

NAME, PHONE = "山田太郎", "090-1234-5678"


@pytest.fixture
def ws(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> Iterator[app.Workspace]:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, FakePiiDetector()) as w:
        yield w
    netguard.allow_connections(())


def test_a_remote_model_is_sent_placeholders_not_the_values(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    owner = people["owner"]
    with fake_openai("ok") as server:
        url = f"http://127.0.0.1:{server.port}/v1"
        model = ws.remote_models.register(owner, RemoteRegistration("gpu", url, "served"))
        config = AppConfig(name="r", model_id=model.id, pseudonymise=True)
        app_id = ws.apps.create(owner, config).id
        message = f"{NAME}さん（電話 {PHONE}）に折り返してください。"
        result = ws.chat.send(people["mo"], app_id, message)
    assert result.turn.answer == "".join(PIECES)
    sent = repr(server.requests[0]["messages"])
    assert NAME not in sent and PHONE not in sent
    assert "〔人名1〕" in sent and "〔電話番号1〕" in sent
