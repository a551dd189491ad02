"""How full the model's context window was on the last turn, and how fast it wrote."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from desktop.core.chat_models import Turn
from desktop.ui.plain import PlainLabel, plain_tip


class ContextGauge(QWidget):
    """A bar of (prompt + answer) tokens over the context length, and tokens/s."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextStatus")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("contextGauge")
        self.bar.setMaximumWidth(220)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        row.addWidget(self.bar)
        self.usage_label = PlainLabel(self)
        self.usage_label.setObjectName("contextLabel")
        row.addWidget(self.usage_label)
        self.speed_label = PlainLabel(self)
        self.speed_label.setObjectName("speedLabel")
        row.addWidget(self.speed_label)
        row.addStretch(1)
        self.n_ctx: int | None = None
        self.show_turn(None)

    def set_context_length(self, n_ctx: int | None) -> None:
        self.n_ctx = n_ctx

    def show_turn(self, turn: Turn | None) -> None:
        """The last turn's usage and speed; nothing when there is no turn yet."""
        used = 0
        if turn is not None:
            used = int(turn.usage.get("prompt_tokens", 0)) + int(
                turn.usage.get("completion_tokens", 0)
            )
        known = turn is not None and bool(self.n_ctx) and used > 0
        self.bar.setVisible(known)
        self.usage_label.setVisible(known)
        if known and self.n_ctx:
            self.bar.setRange(0, self.n_ctx)
            self.bar.setValue(min(used, self.n_ctx))
            percent = round(100 * used / self.n_ctx)
            self.usage_label.setText(
                self.tr("Context {percent}% ({used} of {total} tokens)").format(
                    percent=percent, used=used, total=self.n_ctx
                )
            )
            self.bar.setToolTip(plain_tip(self.usage_label.text()))
        rate = turn.timings.get("tokens_per_s", 0.0) if turn is not None else 0.0
        self.speed_label.setVisible(bool(rate))
        self.speed_label.setText(self.tr("{rate} tokens/s").format(rate=f"{rate:.1f}"))

    def show_streaming(self) -> None:
        self.speed_label.setVisible(True)
        self.speed_label.setText(self.tr("Generating…"))
