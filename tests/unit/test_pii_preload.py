"""The detector's host is warmed ahead of first use only where a policy calls it."""

from __future__ import annotations

from pathlib import Path

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbSettings
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.tools import fake_workspace


def test_the_detector_is_needed_only_where_a_policy_calls_it(tmp_path: Path) -> None:
    engines = app.Engines(FakeInspector(), FakeChatModel())
    with fake_workspace(
        tmp_path / "w", MemoryKeyStore(), FixedClock(), engines, owner_password=PEOPLE_PASSWORD
    ) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        model = tmp_path / "m.gguf"
        model.write_bytes(b"GGUF" + b"\0" * 32)
        model_id = ws.models.register(owner, str(model), name="m").id
        ws.apps.create(owner, AppConfig(name="plain", model_id=model_id))
        kb = ws.knowledge.create(owner, "notes")
        assert not ws.privacy.detector_needed(owner)
        ws.knowledge.update(owner, kb.id, {"settings": KbSettings(redact_pii=True)})
        assert ws.privacy.detector_needed(owner)
        ws.knowledge.update(owner, kb.id, {"settings": KbSettings()})
        app_id = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
        ws.apps.edit(owner, app_id, {"pseudonymise": True})
        assert ws.privacy.detector_needed(owner)
        ws.apps.edit(owner, app_id, {"pseudonymise": None})
        assert not ws.privacy.detector_needed(owner)
        ws.privacy.set_defaults(owner, minimise_logs=True)
        assert ws.privacy.detector_needed(owner)


def test_engines_without_hosts_preload_no_detector() -> None:
    engines = app.Engines(FakeInspector(), FakeChatModel())
    engines.preload_pii()  # a no-op: nothing to start
