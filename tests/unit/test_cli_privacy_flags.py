"""The personal-data switches of ``kura apps`` and ``kura kb`` become config changes."""

from __future__ import annotations

from typing import Any

from desktop.cli import apps, build_parser, kb
from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbSettings


def test_app_policy_flags_set_override_or_return_to_the_workspace_default() -> None:
    args = build_parser().parse_args(
        ["apps", "edit", "helper", "--pseudonymise", "on", "--minimise-logs", "default"]
    )
    base = AppConfig(name="helper", model_id=1, minimise_logs=True)
    ws: Any = None  # no lookup is needed for these flags
    changes = apps._changes(args, base, ws, None)  # type: ignore[arg-type]
    assert changes == {"pseudonymise": True, "minimise_logs": None}
    edited = base.with_changes(**changes)
    assert AppConfig.from_dict(edited.as_dict()) == edited


def test_kb_redaction_flags_change_its_settings() -> None:
    args = build_parser().parse_args(["kb", "edit", "manuals", "--redact-pii", "on"])
    settings = kb._settings(args, KbSettings())
    assert settings == KbSettings(redact_pii=True, keep_original=False)
    assert settings is not None and KbSettings.from_dict(settings.as_dict()) == settings
