"""The Usage screen's limits card: each usage limit and what is used against it now.

Rows come from ``LimitService.status`` (Owner and Admins) on the ``db`` lane, loaded with
the usage report. The card is hidden while no limit is set, so the screen is unchanged
for a workspace without limits. The Owner sets limits with ``kura limits set`` or the
screen's Set limits… dialog (:mod:`desktop.ui.usage_limits_editor`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.limits import LimitKind, LimitScope, LimitUse
from desktop.ui.plain import PlainLabel
from desktop.ui.times import local_time

COLUMNS = 4  # who, limit, used of allowed, resets


class LimitsCard(QFrame):
    """A table with one row per limit; ``uses`` is what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("limitsCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.uses: list[LimitUse] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        heading = PlainLabel(self.tr("Usage limits"), self)
        heading.setStyleSheet("font-weight: 600;")
        layout.addWidget(heading)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("limitsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("User, app or model"), self.tr("Limit"), self.tr("Used"), self.tr("Resets")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        hint = PlainLabel(
            self.tr("Only the Owner can change limits (Set limits… above, or kura limits set)."),
            self,
        )
        hint.setObjectName("limitsHint")
        layout.addWidget(hint)
        self.hide()

    def _who(self, use: LimitUse) -> str:
        scope = {
            LimitScope.USER: self.tr("User {name}"),
            LimitScope.APP: self.tr("App {name}"),
            LimitScope.MODEL: self.tr("Model {name}"),
        }[use.scope]
        return scope.format(name=use.subject)

    def _kind(self, kind: LimitKind) -> str:
        return {
            LimitKind.TOKENS_PER_DAY: self.tr("Tokens per day"),
            LimitKind.TOKENS_PER_MONTH: self.tr("Tokens per month"),
            LimitKind.REQUESTS_PER_MINUTE: self.tr("Requests per minute"),
            LimitKind.CONCURRENT: self.tr("Answers at once"),
        }[kind]

    def _used(self, use: LimitUse) -> str:
        share = f" ({round(100 * use.used / use.limit)}%)" if use.limit else ""
        text = self.tr("{used} of {allowed}").format(used=f"{use.used:,}", allowed=f"{use.limit:,}")
        return text + share

    def _resets(self, use: LimitUse) -> str:
        if use.resets_at is None:
            return self.tr("as answers finish")
        return local_time(use.resets_at)

    def show_uses(self, uses: list[LimitUse]) -> None:
        """Fill the table (one row per limit) and show the card when there is any."""
        self.uses = list(uses)
        self.table.setRowCount(len(self.uses))
        for row, use in enumerate(self.uses):
            cells = (self._who(use), self._kind(use.kind), self._used(use), self._resets(use))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2 and use.reached:
                    item.setToolTip(self.tr("Reached: new questions are refused until it resets."))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.setFixedHeight(
            self.table.horizontalHeader().height() + 4 + sum(
                self.table.rowHeight(r) for r in range(len(self.uses))
            )
        )  # fmt: skip
        self.setVisible(bool(self.uses))
