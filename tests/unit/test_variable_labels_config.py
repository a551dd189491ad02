"""Variable labels in an app's config: stored with each version, checked by the apps
service, and absent (not an error) in configs stored before labels existed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError
from desktop.core.models import Actor


@pytest.fixture
def model_id(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> int:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    return ws.models.register(people["owner"], str(path), name="tiny").id


def test_labels_round_trip_and_blank_ones_are_left_out() -> None:
    config = AppConfig(name="a", model_id=1, instructions="{{department}} {{start_date}}")
    labelled = config.with_changes(variable_labels={"department": " Your team ", "start_date": ""})
    assert labelled.labels == {"department": "Your team"}
    data = labelled.as_dict()
    assert data["variable_labels"] == {"department": "Your team"}
    assert AppConfig.from_dict(json.loads(json.dumps(data))) == labelled


def test_a_config_stored_before_labels_existed_still_loads() -> None:
    old = AppConfig(name="a", model_id=1, instructions="Help {{department}}.").as_dict()
    del old["variable_labels"]
    config = AppConfig.from_dict(old)
    assert config.labels == {} and config.variables == ("department",)


def test_an_old_stored_app_version_without_labels_loads_through_the_service(
    ws: app.Workspace, people: dict[str, Actor], model_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = people["owner"]
    new_as_dict = AppConfig.as_dict

    def as_before_labels(config: AppConfig) -> dict[str, Any]:
        data = new_as_dict(config)
        del data["variable_labels"]
        return data

    with monkeypatch.context() as patch:  # stored by a Kura that knew no labels
        patch.setattr(AppConfig, "as_dict", as_before_labels)
        config = AppConfig(name="old", model_id=model_id, instructions="Help {{department}}.")
        created = ws.apps.create(owner, config)
    with ws.store.transaction() as tx:
        conn: Any = tx.apps._conn
        (stored,) = conn.execute(
            "SELECT config FROM app_versions WHERE app_id = ?", (created.id,)
        ).fetchone()
    assert "variable_labels" not in json.loads(stored)
    loaded = ws.apps.show(owner, created.id)
    assert loaded.config.labels == {} and loaded.config.variables == ("department",)
    edited = ws.apps.edit(owner, created.id, {"variable_labels": {"department": "Your team"}})
    assert edited.config.labels == {"department": "Your team"}


def test_the_service_drops_labels_of_undeclared_variables_and_refuses_long_ones(
    ws: app.Workspace, people: dict[str, Actor], model_id: int
) -> None:
    owner = people["owner"]
    config = AppConfig(name="labels", model_id=model_id, instructions="Help {{department}}.")
    created = ws.apps.create(
        owner, config.with_changes(variable_labels={"department": "Team", "gone": "Old"})
    )
    assert created.config.labels == {"department": "Team"}
    with pytest.raises(InputError) as caught:
        ws.apps.edit(owner, created.id, {"variable_labels": {"department": "x" * 101}})
    assert caught.value.code == "chat.app_variable_label_length"
