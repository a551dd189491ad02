"""About: Kura's version and the libraries it runs on, how the model runtime was built
and whether the model host starts, the details support asks for (workspace id, data
folder) with a Copy button, and the licences of every bundled component."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

import desktop
from desktop.installation import HostInfo
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage, describe
from desktop.ui.plain import plain_tip
from desktop.ui.settings.common import (
    ElidedLabel,
    SettingsPage,
    copy_text,
    form,
    group,
    hint,
    value_label,
)
from desktop.ui.settings.licences import Component, components, data_files
from desktop.ui.tasks import Lane


@dataclass(frozen=True, slots=True)
class SupportFacts:
    workspace_id: str


class AboutPage(SettingsPage):
    key = "about"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.message = InlineMessage(self)
        self._loaded = False
        self._build_versions()
        self._build_runtime()
        self._build_support()
        self._build_licences()
        self.body.addWidget(self.message)
        self.finish()

    def title(self) -> str:
        return self.tr("About")

    # ------------------------------------------------------------------ building

    def _build_versions(self) -> None:
        box, layout = group(self.tr("Kura"), self)
        rows = form(layout)
        self.versions: dict[str, QLabel] = {}
        for key, label, value in (
            ("kura", self.tr("Version"), desktop.__version__),
            ("python", self.tr("Python"), platform.python_version()),
            ("qt", self.tr("Qt"), qVersion()),
            ("pyside", self.tr("PySide6"), PySide6.__version__),
        ):
            shown = value_label(f"{key}VersionLabel", box)
            shown.setText(value)
            self.versions[key] = shown
            rows.addRow(label, shown)
        self.body.addWidget(box)

    def _build_runtime(self) -> None:
        box, layout = group(self.tr("Model runtime"), self)
        rows = form(layout)
        self.backend = value_label("runtimeBackendLabel", box, wrap=True)
        self.features = value_label("runtimeFeaturesLabel", box, wrap=True)
        self.devices = value_label("runtimeDevicesLabel", box, wrap=True)
        self.offload = value_label("runtimeOffloadLabel", box, wrap=True)
        self.host = value_label("modelHostLabel", box, wrap=True)
        for label in (self.backend, self.features, self.devices, self.offload, self.host):
            # the form grows only expanding fields: a wrapped label would keep its hint
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        rows.addRow(self.tr("Build"), self.backend)
        rows.addRow(self.tr("CPU features"), self.features)
        rows.addRow(self.tr("Devices"), self.devices)
        rows.addRow(self.tr("GPU offload"), self.offload)
        rows.addRow(self.tr("Model host"), self.host)
        self.body.addWidget(box)

    def _build_support(self) -> None:
        box, layout = group(self.tr("Support details"), self)
        layout.addWidget(
            hint(self.tr("Give these to whoever supports your Kura installation."), box)
        )
        rows = form(layout)
        self.workspace_id = value_label("workspaceIdLabel", box, mono=True)
        self.folder = ElidedLabel("dataFolderLabel", box)
        self.folder.set_full_text(str(self.ctx.data_dir))
        rows.addRow(self.tr("Workspace ID"), self.workspace_id)
        rows.addRow(self.tr("Data folder"), self.folder)
        self.copy_button = QPushButton(self.tr("Copy"), box)
        self.copy_button.setObjectName("copySupportDetailsButton")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        self.body.addWidget(box)

    def _build_licences(self) -> None:
        box, layout = group(self.tr("Licences"), self)
        layout.addWidget(
            hint(self.tr("The components Kura is built from, and the licence of each."), box)
        )
        self.licences = QTableWidget(0, 3, box)
        self.licences.setObjectName("licencesTable")
        self.licences.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence")]
        )
        self.licences.verticalHeader().hide()
        self.licences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.licences.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.licences.setMinimumHeight(240)
        header = self.licences.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.no_licences = hint(
            self.tr("This build carries no package metadata to list licences from."), box
        )
        self.no_licences.hide()
        layout.addWidget(self.licences)
        layout.addWidget(self.no_licences)
        self.body.addWidget(box)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        checking = self.tr("Checking…")
        for label in (self.backend, self.host, self.workspace_id):
            label.setText(checking)
        self.run(
            Lane.DB,
            lambda lc: SupportFacts(lc.ws.workspace_id),
            key="support",
            on_done=self._show_support,
            on_failed=self.message.show_error,
        )
        self.run(
            Lane.DB,
            lambda lc: components() + data_files(),
            key="licences",
            on_done=self._show_licences,
        )
        probe = self.ctx.backend.host_probe
        if probe is None:
            self.backend.setText(self.tr("Not checked: this setup has no model host."))
            self.host.setText(self.tr("Not checked"))
            return
        # the model host's own lane: starting a host takes a moment, and chats wait there
        self.run(
            Lane.INFERENCE,
            lambda lc: probe(),
            key="host",
            on_done=self._show_host,
            on_failed=self._on_host_failed,
        )

    def _show_support(self, facts: SupportFacts) -> None:
        self.workspace_id.setText(facts.workspace_id)

    def _show_licences(self, found: list[Component]) -> None:
        self.licences.setVisible(bool(found))
        self.no_licences.setVisible(not found)
        self.licences.setRowCount(len(found))
        for row, component in enumerate(found):
            licence = component.licence or self.tr("Not stated")
            for column, text in enumerate((component.name, component.version, licence)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if column == 2:
                    item.setToolTip(plain_tip(text))
                self.licences.setItem(row, column, item)

    def _show_host(self, host: HostInfo) -> None:
        llama: dict[str, Any] = host.info.get("llama", {})
        build = llama.get("build")
        if isinstance(build, dict):
            self.backend.setText(
                self.tr("llama.cpp {backend} build, CPU baseline {baseline}").format(
                    backend=build.get("backend", "?"), baseline=build.get("cpu_baseline", "?")
                )
            )
        else:
            self.backend.setText(
                self.tr(
                    "llama-cpp-python {version}, not built by Kura's build step: "
                    "reinstall Kura to get its tested build."
                ).format(version=llama.get("version", "?"))
            )
        features = llama.get("features", {})
        self.features.setText(
            "; ".join(f"{name}: {' '.join(on)}" for name, on in features.items())
            or self.tr("None reported")
        )
        self.devices.setText(self._devices(llama.get("devices", [])))
        self.offload.setText(
            self.tr("Layers can run on the GPU")
            if llama.get("gpu_offload")
            else self.tr("Not available: this build runs on the CPU only")
        )
        confinement = host.info.get("confinement", {})
        confined = [k for k, v in confinement.items() if not str(v).startswith("unavailable")]
        self.host.setText(
            self.tr("Starts in {seconds} s; confined by {rules}").format(
                seconds=f"{host.start_seconds:.2f}", rules=", ".join(confined) or "—"
            )
        )

    def _devices(self, devices: list[dict[str, Any]]) -> str:
        shown = []
        for device in devices:
            name = str(device.get("description") or device.get("name") or "?")
            if device.get("type") != "cpu" and device.get("memory_total"):
                memory = self.tr("{size} GiB").format(size=f"{device['memory_total'] / 2**30:.1f}")
                name = f"{name} ({memory})"
            shown.append(name)
        return ", ".join(shown) or self.tr("None reported")

    def _on_host_failed(self, exc: BaseException) -> None:
        self.backend.setText(self.tr("Unknown: the model host did not start."))
        self.host.setText(describe(exc) or self.tr("Did not start"))

    # ------------------------------------------------------------------ copying

    def support_text(self) -> str:
        """What Copy puts on the clipboard: the support details and the versions."""
        lines = [
            f"Kura {desktop.__version__}",
            f"{self.tr('Workspace ID')}: {self.workspace_id.text()}",
            f"{self.tr('Data folder')}: {self.folder.full_text()}",
            f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}",
            f"{self.tr('Build')}: {self.backend.text()}",
            f"{self.tr('Model host')}: {self.host.text()}",
        ]
        return "\n".join(lines)

    def _on_copy_clicked(self) -> None:
        copy_text(self.support_text())
        self.ctx.touch()
        self.message.show_info(self.tr("Copied the support details."))
