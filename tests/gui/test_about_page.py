"""Settings › About: versions, how the model runtime was built, the support details
(workspace id, data folder) with Copy, and the licences of the bundled components."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget

import desktop
from desktop.core.errors import ModelLoadFailed
from desktop.installation import HostInfo
from desktop.ui.context import Backend, UiContext
from desktop.ui.settings import about
from desktop.ui.settings.about import AboutPage
from desktop.ui.settings.view import SettingsView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct

HOST_INFO = {
    "confinement": {"no_new_privs": "on", "seccomp": "socket() refused", "landlock": "on"},
    "llama": {
        "version": "0.3.36",
        "build": {"backend": "cpu", "cpu_baseline": "x86-64-v3 (AVX2, FMA)"},
        "features": {"CPU": ["AVX", "AVX2", "FMA"]},
        "devices": [{"name": "CPU", "description": "Test CPU", "type": "cpu"}],
        "gpu_offload": False,
    },
}


def about_page(
    qtbot: Any, backend: Backend, make_ctx: Callable[[], UiContext]
) -> tuple[SettingsView, AboutPage]:
    with open_direct(backend) as ws:
        actor = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    ctx.sign_in(actor)
    view = SettingsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    page = view.show_section("about")
    assert isinstance(page, AboutPage)
    return view, page


def licence_rows(table: QTableWidget) -> dict[str, str]:
    rows = {}
    for row in range(table.rowCount()):
        name, licence = table.item(row, 0), table.item(row, 2)
        assert name is not None and licence is not None
        rows[name.text().lower().replace("_", "-")] = licence.text()
    return rows


def test_about_shows_version_backend_workspace_id_and_licences(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext], monkeypatch: Any
) -> None:
    monkeypatch.setattr(workspace, "host_probe", lambda: HostInfo(HOST_INFO, 0.25))
    view, page = about_page(qtbot, workspace, make_ctx)
    with open_direct(workspace) as ws:
        workspace_id = ws.workspace_id

    version = page.findChild(QLabel, "kuraVersionLabel")
    assert version is not None and version.text() == desktop.__version__
    backend_line = page.findChild(QLabel, "runtimeBackendLabel")
    assert backend_line is not None
    qtbot.waitUntil(lambda: "cpu" in backend_line.text() and "x86-64-v3" in backend_line.text())
    host = page.findChild(QLabel, "modelHostLabel")
    assert host is not None and "0.25" in host.text() and "seccomp" in host.text()
    shown_id = page.findChild(QLabel, "workspaceIdLabel")
    assert shown_id is not None
    qtbot.waitUntil(lambda: shown_id.text() == workspace_id)
    table = page.findChild(QTableWidget, "licencesTable")
    assert table is not None
    qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=10_000)
    rows = licence_rows(table)
    assert "LGPL-3.0" in rows["pyside6-essentials"]
    assert rows["llama-cpp-python"] == "MIT"

    copy = page.findChild(QPushButton, "copySupportDetailsButton")
    assert copy is not None
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert workspace_id in copied and str(workspace.data_dir) in copied
    view.teardown()


def test_about_says_when_the_model_host_does_not_start_or_no_licences_are_known(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext], monkeypatch: Any
) -> None:
    def broken() -> HostInfo:
        raise ModelLoadFailed("workspace.engines_without_embedder")

    monkeypatch.setattr(workspace, "host_probe", broken)
    monkeypatch.setattr(about, "components", list)  # a build without package metadata
    monkeypatch.setattr(about, "data_files", list)  # ... and without its dictionaries
    view, page = about_page(qtbot, workspace, make_ctx)
    host = page.findChild(QLabel, "modelHostLabel")
    assert host is not None
    qtbot.waitUntil(lambda: host.text() not in ("", page.tr("Checking…")))
    assert "Traceback" not in host.text()
    backend_line = page.findChild(QLabel, "runtimeBackendLabel")
    assert backend_line is not None and "did not start" in backend_line.text()
    qtbot.waitUntil(lambda: page.no_licences.isVisibleTo(page))
    assert page.licences.isHidden()
    view.teardown()
