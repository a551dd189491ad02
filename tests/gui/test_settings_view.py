"""The Settings screen over the fakes: each section's main flow, checked afterwards
through the services (open_direct)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from desktop import app
from desktop.core.chat_models import AppConfig, LoadSettings
from desktop.core.models import Role
from desktop.core.tasks import CancelToken
from desktop.ui.context import Backend, UiContext
from desktop.ui.keyring_names import keyring_name
from desktop.ui.recovery import RecoveryKeyDialog
from desktop.ui.settings.common import ElidedLabel
from desktop.ui.settings.model_settings import GpuLayersSpinBox
from desktop.ui.settings.totp import TotpDialog
from desktop.ui.settings.view import SettingsView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeInspector, FixedClock
from tests.gui.conftest import open_direct, sign_in_as
from tests.tools import FAST_HASHER

MakeView = Callable[[UiContext], SettingsView]


def idle(qtbot: Any, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.live_tasks(), timeout=10_000)


@pytest.fixture
def make_view(qtbot: Any) -> Iterator[MakeView]:
    made: list[tuple[SettingsView, UiContext]] = []

    def make(ctx: UiContext) -> SettingsView:
        view = SettingsView(ctx)
        qtbot.addWidget(view)
        made.append((view, ctx))
        view.activate()
        return view

    yield make
    for view, ctx in made:
        idle(qtbot, ctx)
        view.teardown()


def child(view: QWidget, kind: type[Any], name: str) -> Any:
    found = view.findChild(kind, name)
    assert found is not None, name
    return found


def answer_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Yes.value)


def owner_actor(backend: Backend) -> Any:
    with open_direct(backend) as ws:
        return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


# ---------------------------------------------------------------- general


def test_the_keyring_is_named_for_people_not_by_its_class_path() -> None:
    assert keyring_name("keyring.backends.SecretService.Keyring") == (
        "GNOME Keyring (Secret Service)"
    )
    assert keyring_name("keyring.backends.libsecret.Keyring") == "GNOME Keyring (Secret Service)"
    assert keyring_name("keyring.backends.Windows.WinVaultKeyring") == (
        "Windows Credential Manager"
    )
    assert keyring_name("keyring.backends.macOS.Keyring") == "macOS Keychain"
    assert keyring_name("keyring.backends.kwallet.DBusKeyring") == "KDE Wallet"
    assert keyring_name("keyrings.alt.file.EncryptedKeyring") == "EncryptedKeyring"
    assert keyring_name("memory (tests only)") == "memory (tests only)"


def test_the_first_settings_page_shows_no_workspace_uuid(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("general")
    qtbot.waitUntil(lambda: child(page, QLabel, "keyringBackendLabel").text() != "")
    with open_direct(workspace) as ws:
        uuid = ws.workspace_id
    shown = [label.text() for label in page.findChildren(QLabel)]
    assert not any(uuid in text for text in shown)
    assert page.findChild(QLabel, "workspaceIdLabel") is None


def test_gpu_layers_say_cpu_when_the_build_cannot_offload(
    qtbot: Any, owner_ctx: UiContext, make_view: MakeView
) -> None:
    """Not "GPU layers: Auto" beside "GPU offload: not available" (the fake cannot offload)."""
    view = make_view(owner_ctx)
    page = view.show_section("models")
    qtbot.waitUntil(lambda: "not available" in child(page, QLabel, "gpuOffloadLabel").text())
    gpu = child(page, GpuLayersSpinBox, "gpuLayersSpin")
    assert not gpu.isEnabled()
    assert "Auto" not in gpu.text() and "CPU" in gpu.text()


def test_language_change_saves_the_preference_and_switches(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("general")
    qtbot.waitUntil(lambda: child(page, QLabel, "keyringBackendLabel").text() != "")
    assert child(page, QLabel, "keyringBackendLabel").text() == "memory (tests only)"
    assert child(page, ElidedLabel, "workspaceFolderLabel").full_text() == str(workspace.data_dir)

    combo = child(page, QComboBox, "languageCombo")
    try:
        with qtbot.waitSignal(owner_ctx.language_did_change, timeout=10_000) as signal:
            combo.setCurrentIndex(combo.findData("ja"))
        assert signal.args == ["ja"]
        assert owner_ctx.translations.language == "ja"
        with open_direct(workspace) as ws:
            assert ws.settings.preferences(owner_actor(workspace)) == {"language": "ja"}
    finally:
        owner_ctx.translations.install("en")


# ---------------------------------------------------------------- models


def test_models_register_a_file_and_configure_how_it_loads(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = tmp_path / "tiny-model.gguf"
    model.write_bytes(b"GGUF" + bytes(range(256)) * 4)
    monkeypatch.setattr(
        "desktop.ui.file_dialogs.QFileDialog.getOpenFileName",
        staticmethod(lambda *a, **k: (str(model), "")),
    )
    view = make_view(owner_ctx)
    page = view.show_section("models")
    models = child(page, QListWidget, "modelList")
    qtbot.waitUntil(lambda: not child(page, QLabel, "emptyState").isHidden())
    qtbot.mouseClick(child(page, QPushButton, "addModelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: models.count() == 1, timeout=10_000)
    assert models.item(0).text() == "tiny-model"
    with open_direct(workspace) as ws:
        record = ws.models.get(owner_actor(workspace), "tiny-model")
    sha = child(page, QLabel, "model_sha256")
    assert sha.text() == record.sha256[:16] + "…"
    copy = child(page, QPushButton, "copySha256Button")
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    # the shortened hash is shown whole, and the Copy button does not cover it
    assert sha.width() >= sha.fontMetrics().horizontalAdvance(sha.text())
    assert copy.geometry().left() > sha.geometry().right()
    assert child(page, QLabel, "model_architecture").text() == "fake"
    qtbot.waitUntil(lambda: "not available" in child(page, QLabel, "gpuOffloadLabel").text())

    child(page, GpuLayersSpinBox, "gpuLayersSpin").setValue(12)
    child(page, QSpinBox, "threadsSpin").setValue(4)
    child(page, QSpinBox, "contextSpin").setValue(8192)
    child(page, QSpinBox, "batchSpin").setValue(256)
    qtbot.mouseClick(child(page, QPushButton, "saveModelSettingsButton"), Qt.MouseButton.LeftButton)
    idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        saved = ws.models.get(owner_actor(workspace), "tiny-model").settings
    assert saved == LoadSettings(n_gpu_layers=12, n_threads=4, n_ctx=8192, n_batch=256)

    gpu = child(page, GpuLayersSpinBox, "gpuLayersSpin")
    gpu.setValue(GpuLayersSpinBox.AUTO_VALUE)
    child(page, QSpinBox, "threadsSpin").setValue(0)
    qtbot.mouseClick(child(page, QPushButton, "saveModelSettingsButton"), Qt.MouseButton.LeftButton)
    idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        saved = ws.models.get(owner_actor(workspace), "tiny-model").settings
    assert (saved.n_gpu_layers, saved.n_threads) == ("auto", None)
    assert GpuLayersSpinBox(page).textFromValue(-1) == "All layers"  # a build with a GPU


def test_registering_a_file_that_is_not_gguf_shows_why(
    qtbot: Any,
    owner_ctx: UiContext,
    make_view: MakeView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bogus = tmp_path / "notes.gguf"
    bogus.write_bytes(b"not a model")
    monkeypatch.setattr(
        "desktop.ui.file_dialogs.QFileDialog.getOpenFileName",
        staticmethod(lambda *a, **k: (str(bogus), "")),
    )
    page = make_view(owner_ctx).show_section("models")
    qtbot.mouseClick(child(page, QPushButton, "addModelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a GGUF" in page.message.text(), timeout=10_000)
    assert child(page, QListWidget, "modelList").count() == 0
    assert child(page, QPushButton, "addModelButton").isEnabled()


def test_hashing_shows_progress_and_cancel_stops_it(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = tmp_path / "huge.gguf"
    model.write_bytes(b"GGUF-huge")
    hashing = threading.Event()

    def endless_sha256(self: Any, path: str, cancel: CancelToken | None = None) -> str:
        hashing.set()
        assert cancel is not None, "register must pass the lane's token down"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # one "block" of a long hash per turn
            cancel.raise_if_cancelled()
            time.sleep(0.005)
        raise AssertionError("the hash was not cancelled")

    monkeypatch.setattr(FakeInspector, "sha256", endless_sha256)
    monkeypatch.setattr(
        "desktop.ui.file_dialogs.QFileDialog.getOpenFileName",
        staticmethod(lambda *a, **k: (str(model), "")),
    )
    page = make_view(owner_ctx).show_section("models")
    add = child(page, QPushButton, "addModelButton")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert not add.isEnabled()
    assert not child(page, QWidget, "registerProgress").isHidden()
    qtbot.waitUntil(hashing.is_set, timeout=10_000)
    qtbot.mouseClick(child(page, QPushButton, "cancelRegisterButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(add.isEnabled, timeout=10_000)
    assert child(page, QWidget, "registerProgress").isHidden()
    assert page.message.isHidden()  # a cancellation shows nothing
    with open_direct(workspace) as ws:
        assert ws.models.list(owner_actor(workspace)) == []


# ---------------------------------------------------------------- retention


def test_retention_is_set_per_app_and_purge_reports(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF-model")
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        record = ws.models.register(owner, str(model))
        helper = ws.apps.create(owner, AppConfig(name="Helper", model_id=record.id))
    page = make_view(owner_ctx).show_section("retention")
    table = child(page, QTableWidget, "retentionTable")
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    days = child(page, QSpinBox, f"retentionDays_{helper.id}")
    assert days.value() == 0  # kept forever until set
    days.setValue(30)
    qtbot.mouseClick(child(page, QPushButton, "saveRetentionButton"), Qt.MouseButton.LeftButton)
    idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        kept = ws.logs.retention(owner, helper.id)
    assert (kept["days"], kept["legal_hold"]) == (30, False)

    answer_yes(monkeypatch)
    result = child(page, QLabel, "purgeResult")
    qtbot.mouseClick(child(page, QPushButton, "purgeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text() != "")
    assert result.text() == "Nothing had expired."


# ---------------------------------------------------------------- security


def current_fingerprint(backend: Backend) -> str:
    with open_direct(backend) as ws, ws.store.transaction() as tx:
        keys = [k for k in tx.review.signing_keys() if k["retired_at"] is None]
    return str(keys[-1]["fingerprint"])


def test_rotating_the_signing_key_changes_the_fingerprint(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = make_view(owner_ctx).show_section("security")
    label = child(page, QLabel, "signingFingerprintLabel")
    qtbot.waitUntil(lambda: label.text().startswith("SHA256:"))
    before = label.text()
    assert before == current_fingerprint(workspace)

    answer_yes(monkeypatch)
    qtbot.mouseClick(child(page, QPushButton, "rotateSigningKeyButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: label.text() != before, timeout=10_000)
    assert label.text() == current_fingerprint(workspace)


def test_idle_timeout_is_saved_and_applied_to_the_session(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    page = make_view(owner_ctx).show_section("security")
    spin = child(page, QSpinBox, "idleTimeoutSpin")
    qtbot.waitUntil(lambda: spin.value() == 15)
    spin.setValue(42)
    qtbot.mouseClick(child(page, QPushButton, "saveIdleTimeoutButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: owner_ctx.session.idle_timeout == timedelta(minutes=42))
    with open_direct(workspace) as ws:
        assert ws.settings.idle_timeout() == timedelta(minutes=42)


def test_a_policy_switch_is_saved(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    page = make_view(owner_ctx).show_section("security")
    qtbot.waitUntil(lambda: page.findChild(QCheckBox, "policy_role_approval") is not None)
    child(page, QCheckBox, "policy_role_approval").setChecked(True)
    idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        policies = {p["name"]: p["on"] for p in ws.policies.list(owner_actor(workspace))}
    assert policies["role-approval"] is True


def test_rekey_shows_the_new_recovery_key_once_and_it_opens_the_workspace(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("security")
    answer_yes(monkeypatch)
    qtbot.mouseClick(child(page, QPushButton, "rekeyButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(RecoveryKeyDialog) is not None, timeout=20_000)
    dialog = page.findChild(RecoveryKeyDialog)
    assert dialog.isVisible()
    key = child(dialog, QPlainTextEdit, "recoveryKeyText").toPlainText()
    assert key
    with open_direct(workspace) as ws:
        assert ws.workspace.summary()["recovery_key_unseen"] is True

    child(dialog, QCheckBox, "storedCheck").setChecked(True)
    qtbot.mouseClick(child(dialog, QPushButton, "continueButton"), Qt.MouseButton.LeftButton)
    assert child(dialog, QPlainTextEdit, "recoveryKeyText").toPlainText() == ""
    idle(qtbot, owner_ctx)
    assert _unseen_cleared(workspace)
    view.show_section("general")  # the lanes reopened under the new key
    qtbot.waitUntil(lambda: child(view, QLabel, "keyringBackendLabel").text() != "")

    with app.recover_workspace(
        workspace.data_dir,
        key,
        key_store=workspace.key_store_factory(),
        clock=workspace.clock,
        hasher=FAST_HASHER,
    ) as ws:
        assert ws.accounts.authenticate("owner", PEOPLE_PASSWORD).role is Role.OWNER


def _unseen_cleared(backend: Backend) -> bool:
    with open_direct(backend) as ws:
        return ws.workspace.summary()["recovery_key_unseen"] is False


def test_totp_enrollment_shows_the_code_once_and_turns_it_on(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    clock: FixedClock,
) -> None:
    page = make_view(owner_ctx).show_section("security")
    status = child(page, QLabel, "totpStatusLabel")
    qtbot.waitUntil(lambda: status.text().startswith("Off"))
    qtbot.mouseClick(child(page, QPushButton, "totpEnrollButton"), Qt.MouseButton.LeftButton)
    dialog = page.findChild(TotpDialog)
    secret_label = child(dialog, QLabel, "totpSecretLabel")
    qtbot.waitUntil(lambda: secret_label.text() != "")
    assert not child(dialog, QLabel, "totpQr").pixmap().isNull()
    code = pyotp.TOTP(secret_label.text().replace(" ", "")).at(int(clock.now().timestamp()))
    child(dialog, QLineEdit, "totpCodeEdit").setText(code)
    qtbot.mouseClick(child(dialog, QPushButton, "totpConfirmButton"), Qt.MouseButton.LeftButton)
    codes = child(dialog, QPlainTextEdit, "recoveryCodesText")
    qtbot.waitUntil(lambda: len(codes.toPlainText().splitlines()) == 10)
    assert secret_label.text() == ""
    qtbot.mouseClick(child(dialog, QPushButton, "totpDoneButton"), Qt.MouseButton.LeftButton)
    assert codes.toPlainText() == ""
    qtbot.waitUntil(lambda: status.text().startswith("On since"))
    with open_direct(workspace) as ws:
        assert ws.totp.status(owner_ctx.peek_actor())["enabled"] is True


# ---------------------------------------------------------------- roles


def test_a_member_sees_no_models_retention_or_key_controls(
    qtbot: Any,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
    make_view: MakeView,
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    view = make_view(ctx)
    assert view.section_keys() == ["general", "security", "personal_data", "about"]
    for name in ("addModelButton", "saveRetentionButton", "purgeButton", "rekeyButton"):
        assert view.findChild(QPushButton, name) is None, name
    assert view.findChild(QLabel, "signingFingerprintLabel") is None
    page = view.show_section("security")
    spin = child(page, QSpinBox, "idleTimeoutSpin")
    qtbot.waitUntil(lambda: spin.value() == 15)
    assert not spin.isEnabled()
    assert child(page, QPushButton, "saveIdleTimeoutButton").isHidden()
    qtbot.waitUntil(lambda: page.findChild(QCheckBox, "policy_role_approval") is not None)
    assert not child(page, QCheckBox, "policy_role_approval").isEnabled()
    assert child(page, QPushButton, "totpEnrollButton").isEnabled()  # their own codes


def test_an_admin_sets_the_idle_lock_and_copies_the_signing_key_but_not_rotates_it(
    qtbot: Any,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
    make_view: MakeView,
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    view = make_view(ctx)
    assert view.section_keys() == ["general", "security", "personal_data", "about"]
    page = view.show_section("security")
    label = child(page, QLabel, "signingFingerprintLabel")
    qtbot.waitUntil(lambda: label.text() == current_fingerprint(workspace))
    assert child(page, QPushButton, "rotateSigningKeyButton").isHidden()
    assert page.findChild(QPushButton, "rekeyButton") is None
    qtbot.mouseClick(
        child(page, QPushButton, "copyAllowedSignersButton"), Qt.MouseButton.LeftButton
    )
    assert "ssh-ed25519 " in QGuiApplication.clipboard().text()
    QGuiApplication.clipboard().clear()
    assert child(page, QSpinBox, "idleTimeoutSpin").isEnabled()
    assert not child(page, QPushButton, "saveIdleTimeoutButton").isHidden()
