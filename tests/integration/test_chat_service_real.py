"""The chat service on the real demo model, in process: streaming and cancellation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.tasks import CancelToken
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore

pytestmark = pytest.mark.slow
PW = "a long enough passphrase"


@pytest.fixture(scope="module")
def engines() -> app.Engines:
    return app.Engines.local()  # one llama context for the module


@pytest.fixture
def ws(tmp_path: Path, engines: app.Engines, demo_model_path: Path) -> Iterator[app.Workspace]:
    keys = MemoryKeyStore()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=fast)
    with app.open_workspace(tmp_path / "w", key_store=keys, hasher=fast, engines=engines) as w:
        owner = w.accounts.authenticate("owner", PW)
        model = w.models.register(owner, str(demo_model_path), name="demo")
        w.apps.create(
            owner,
            AppConfig(
                name="helper",
                model_id=model.id,
                params=SamplingParams(max_tokens=64, temperature=0, seed=1),
            ),
        )
        yield w


def test_cancel_stops_within_one_token_and_keeps_the_partial_answer(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    cancel = CancelToken()
    seen: list[str] = []

    def on_piece(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            cancel.cancel()

    result = ws.chat.send(
        owner, "helper", "Count from one to fifty in words.", cancel=cancel, on_piece=on_piece
    )
    assert result.turn.stop_reason == "cancelled"
    assert len(seen) == 3 and result.turn.answer == "".join(seen)
    assert result.turn.usage["completion_tokens"] <= 4
    stored = ws.chat.turns(owner, result.conversation_id)[0]
    assert stored.answer == result.turn.answer and stored.stop_reason == "cancelled"


def test_streamed_pieces_make_the_stored_answer(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    pieces: list[str] = []
    result = ws.chat.send(owner, "helper", "What is 2 + 2?", on_piece=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == result.turn.answer
    assert result.turn.timings["tokens_per_s"] > 0
