"""Pseudonymisation with the real demo model in its model host: what crosses into the
host holds no value, the answer shown has them back, the audit log holds none."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore
from tests.fakes_pii import FakePiiDetector

pytestmark = pytest.mark.slow
PW = "a long enough passphrase"
NAME, MY_NUMBER, PHONE = "Alice Smith", "123456789018", "03-1234-5678"


class Recording:
    """The hosted chat model, with every prompt sent to the host and every raw piece
    that came back recorded."""

    def __init__(self, inner: Any) -> None:
        self._inner, self.prompts, self.raw = inner, [], []  # type: list[str]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def generate(self, prompt: str, *args: Any, **kwargs: Any) -> Any:
        self.prompts.append(prompt)
        generation = self._inner.generate(prompt, *args, **kwargs)
        raw = self.raw

        class Pieces:
            def __getattr__(self, name: str) -> Any:
                return getattr(generation, name)

            def __iter__(self) -> Iterator[str]:
                for piece in generation:
                    raw.append(piece)
                    yield piece

        return Pieces()


@pytest.fixture
def setup(tmp_path: Path, demo_model_path: Path) -> Iterator[tuple[app.Workspace, Recording]]:
    local = app.Engines.local()
    recording = Recording(local.chat_model)
    engines = dataclasses.replace(local, chat_model=recording, pii_detector=FakePiiDetector())
    keys = MemoryKeyStore()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=fast)
    try:
        with app.open_workspace(tmp_path / "w", key_store=keys, hasher=fast, engines=engines) as w:
            owner = w.accounts.authenticate("owner", PW)
            model = w.models.register(owner, str(demo_model_path), name="demo")
            params = SamplingParams(max_tokens=48, temperature=0, seed=1)
            config = AppConfig(name="helper", model_id=model.id, params=params, pseudonymise=True)
            w.apps.create(owner, config)
            yield w, recording
    finally:
        local.close()


def test_the_model_host_sees_placeholders_and_the_user_sees_the_values(
    setup: tuple[app.Workspace, Recording],
) -> None:
    ws, model = setup
    owner = ws.accounts.authenticate("owner", PW)
    shown: list[str] = []
    message = f"Repeat exactly: Dear {NAME}, your number {MY_NUMBER} and phone {PHONE}."
    result = ws.chat.send(owner, "helper", message, on_piece=shown.append)

    (prompt,) = model.prompts
    assert all(v not in prompt for v in (NAME, MY_NUMBER, PHONE))
    assert "<PERSON_1>" in prompt and "<MY_NUMBER_1>" in prompt
    raw, answer = "".join(model.raw), result.turn.answer
    assert "".join(shown) == answer
    for placeholder, value in (("<PERSON_1>", NAME), ("<MY_NUMBER_1>", MY_NUMBER)):
        assert placeholder not in answer  # restored wherever the model wrote it
        if placeholder in raw:
            assert value in answer
    with ws.store.transaction() as tx:
        audit = "\n".join(json.dumps(e.payload) for e in tx.audit.iter_events())
    assert all(v not in audit for v in (NAME, MY_NUMBER, PHONE))
    print(f"\nraw answer: {raw!r}\nshown: {answer!r}")
