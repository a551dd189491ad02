"""The editor of one model's load settings: GPU layers, threads, context and batch size."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFormLayout, QSpinBox, QVBoxLayout, QWidget

from desktop.core.chat_models import AUTO, LoadSettings
from desktop.ui.plain import PlainLabel

MIN_CONTEXT, MAX_CONTEXT = 256, 1_048_576
MAX_BATCH = 65_536
MAX_THREADS = 512


class GpuLayersSpinBox(QSpinBox):
    """Layers to offload: Auto (all when the build can offload), All, 0 = CPU only, or N."""

    AUTO_VALUE = -2
    ALL_VALUE = -1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(self.AUTO_VALUE, 999)
        self.setSpecialValueText(self.tr("Auto"))

    def _labels(self) -> dict[int, str]:
        return {self.ALL_VALUE: self.tr("All layers"), 0: self.tr("0 (CPU only)")}

    def textFromValue(self, value: int) -> str:
        if getattr(self, "_cpu_only", False):
            return self.specialValueText()
        return self._labels().get(value, str(value))

    def valueFromText(self, text: str) -> int:
        for value, label in self._labels().items():
            if text == label:
                return value
        return super().valueFromText(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if text in self._labels().values():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def set_cpu_only(self) -> None:
        """This build cannot offload: say plainly that the layers run on the CPU (the
        stored setting is kept for a build that can)."""
        self.setSpecialValueText(self.tr("None — all layers run on the CPU"))
        self._cpu_only = True
        self.setEnabled(False)
        self.setToolTip(self.tr("This build of Kura has no GPU support: models run on the CPU."))
        self.lineEdit().setText(self.textFromValue(self.value()))

    def layers(self) -> int | str:
        return AUTO if self.value() == self.AUTO_VALUE else self.value()

    def set_layers(self, layers: int | str) -> None:
        self.setValue(self.AUTO_VALUE if layers == AUTO else int(layers))


class LoadSettingsEditor(QWidget):
    """Spin boxes for :class:`LoadSettings`; ``settings()`` validates through it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gpu_layers = GpuLayersSpinBox(self)
        self.gpu_layers.setObjectName("gpuLayersSpin")
        self.gpu_layers.setToolTip(
            self.tr("How many layers run on the GPU. Auto uses all when this build can offload.")
        )
        self.threads = QSpinBox(self)
        self.threads.setObjectName("threadsSpin")
        self.threads.setRange(0, MAX_THREADS)
        self.threads.setSpecialValueText(self.tr("Auto"))
        self.context = QSpinBox(self)
        self.context.setObjectName("contextSpin")
        self.context.setRange(MIN_CONTEXT, MAX_CONTEXT)
        self.context.setSingleStep(1024)
        self.context.setSuffix(self.tr(" tokens"))
        self.batch = QSpinBox(self)
        self.batch.setObjectName("batchSpin")
        self.batch.setRange(1, MAX_BATCH)
        self.batch.setSingleStep(64)
        self._trained = PlainLabel(self)
        self._trained.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        fields = QFormLayout()
        fields.setHorizontalSpacing(16)
        fields.addRow(self.tr("GPU layers"), self.gpu_layers)
        fields.addRow(self.tr("CPU threads"), self.threads)
        fields.addRow(self.tr("Context length"), self.context)
        fields.addRow(self.tr("Batch size"), self.batch)
        layout.addLayout(fields)
        layout.addWidget(self._trained)

    def set_gpu_offload(self, supported: bool) -> None:
        """Whether this build can put layers on a GPU; without, the GPU field says CPU."""
        if not supported:
            self.gpu_layers.set_cpu_only()

    def load(self, settings: LoadSettings, trained_context: int | None) -> None:
        self.gpu_layers.set_layers(settings.n_gpu_layers)
        self.threads.setValue(settings.n_threads or 0)
        self.context.setValue(settings.n_ctx)
        self.batch.setValue(settings.n_batch)
        if trained_context:
            self._trained.setText(
                self.tr("The model was trained with a context of {tokens} tokens.").format(
                    tokens=trained_context
                )
            )
        self._trained.setVisible(bool(trained_context))

    def settings(self) -> LoadSettings:
        """The edited settings (raises InputError when a value is out of range)."""
        return LoadSettings(
            n_gpu_layers=self.gpu_layers.layers(),
            n_threads=self.threads.value() or None,
            n_ctx=self.context.value(),
            n_batch=self.batch.value(),
        )
