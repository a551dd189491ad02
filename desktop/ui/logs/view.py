"""The Logs screen: chat traces with filters, each turn's full trace in a dialog
(input → retrieved passages → output, feedback, annotations), and the signed export.

Everything is read on the ``db`` lane through ``LogService``; the screen is for the
Owner and Admins (``Permission.VIEW_LOGS``) and says so to everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.core.models import Actor, TraceFilter
from desktop.core.rbac import Permission
from desktop.core.services.logs import parse_when
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.logs.export_dialog import ExportDialog
from desktop.ui.logs.filters import AppFilter, DateRangeFilter
from desktop.ui.logs.model import TraceListModel
from desktop.ui.logs.prove_dialog import ProveDialog
from desktop.ui.logs.trace_dialog import TraceDialog
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.view import View
from desktop.ui.widgets import page_header, primary_button, row_table

TRACE_LIMIT = 500
TEXT_DELAY_MS = 300


@dataclass(frozen=True, slots=True)
class LogOptions:
    """What the filters offer: app names by id and the user names."""

    apps: dict[int, str]
    users: list[str]


def load_options(lc: LaneContext, actor: Actor, with_users: bool) -> LogOptions:
    ws = lc.ws
    apps = {app.id: app.config.name for app in ws.apps.list(actor)}
    users = [u.username for u in ws.accounts.list_users(actor)] if with_users else []
    return LogOptions(apps, users)


class LogsView(View):
    """Trace list (``TraceListModel``) over a filter bar; double-click opens a turn."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("logsView")
        self._apps: dict[int, str] = {}
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self._on_text_timer_timeout)
        self.model = TraceListModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(self._build_header())
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_content())
        self.denied = PlainLabel(
            self.tr("Only the Owner and Admins can review the logs. Ask one of them for access."),
            self,
        )
        self.denied.setObjectName("emptyState")
        self.denied.setWordWrap(True)
        self.pages.addWidget(self.denied)
        layout.addWidget(self.pages, 1)

    def title(self) -> str:
        return self.tr("Logs")

    # ------------------------------------------------------------------ building

    def _build_header(self) -> QHBoxLayout:
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshTraces")
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.export_button = primary_button(self.tr("Export signed bundle…"), "exportBundle", self)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.prove_button = QPushButton(self.tr("Disclose a value…"), self)
        self.prove_button.setObjectName("openProve")
        self.prove_button.setToolTip(
            self.tr("Give an auditor the opening of one value of a pseudonymised bundle (Owner)")
        )
        self.prove_button.clicked.connect(self._on_prove_clicked)
        return page_header(
            self.tr("Logs"), self, self.refresh_button, self.prove_button, self.export_button
        )

    def _build_filters(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.app_filter = AppFilter(parent)
        self.app_filter.setObjectName("appFilter")
        self.user_filter = QComboBox(parent)
        self.user_filter.setObjectName("userFilter")
        self.user_filter.addItem(self.tr("All users"), None)
        self.rating_filter = QComboBox(parent)
        self.rating_filter.setObjectName("ratingFilter")
        self.rating_filter.addItem(self.tr("Any rating"), None)
        self.rating_filter.addItem(self.tr("Helpful"), "up")
        self.rating_filter.addItem(self.tr("Not helpful"), "down")
        self.dates = DateRangeFilter(self.ctx.backend.clock.now().date(), parent)
        self.text_filter = QLineEdit(parent)
        self.text_filter.setObjectName("textFilter")
        self.text_filter.setPlaceholderText(self.tr("Search questions and answers"))
        self.text_filter.setClearButtonEnabled(True)
        for combo in (self.app_filter, self.user_filter, self.rating_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
            row.addWidget(combo)
        self.dates.changed.connect(self._on_filter_changed)
        self.text_filter.textChanged.connect(self._on_text_changed)
        row.addWidget(self.dates)
        row.addWidget(self.text_filter, 1)
        return row

    def _build_content(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(self._build_filters(page))
        self.message = InlineMessage(page)
        layout.addWidget(self.message)
        self.table = row_table(QTableView(page), "traceTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        layout.addWidget(self.table, 1)
        self.empty = PlainLabel(page)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.count_label = PlainLabel(page)
        self.count_label.setObjectName("traceCount")
        layout.addWidget(self.count_label)
        return page

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        allowed = self.ctx.can(Permission.VIEW_LOGS)
        self.pages.setCurrentIndex(0 if allowed else 1)
        self.export_button.setVisible(allowed)
        self.prove_button.setVisible(self.ctx.can(Permission.MANAGE_SECURITY))
        self.refresh_button.setVisible(allowed)
        if not allowed:
            self.model.set_traces([], {})
            return
        try:
            actor = self.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        with_users = self.ctx.can(Permission.MANAGE_MEMBERS)
        self.run(
            Lane.DB,
            lambda lc: load_options(lc, actor, with_users),
            key="options",
            on_done=self._on_options_loaded,
            on_failed=self.message.show_error,
        )
        self.reload()

    def filters(self) -> TraceFilter:
        """The filter the bar describes (dates as whole UTC days, ``until`` inclusive)."""
        user = self.user_filter.currentData()
        text = self.text_filter.text().strip()
        return TraceFilter(
            app_id=self.app_filter.app_id(),
            username=str(user) if user else None,
            since=parse_when(self.dates.since()),
            until=parse_when(self.dates.until(), end=True),
            rating=self.rating_filter.currentData(),
            text=text or None,
        )

    def reload(self) -> None:
        """Fetch the traces that match the filters (newest first)."""
        if not self.ctx.can(Permission.VIEW_LOGS):
            return
        try:
            actor = self.actor()
            filters = self.filters()
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.logs.traces(actor, filters, limit=TRACE_LIMIT),
            key="traces",
            on_done=self._on_traces_loaded,
            on_failed=self.message.show_error,
        )

    def _on_options_loaded(self, options: LogOptions) -> None:
        self._apps = options.apps
        self.app_filter.set_apps(options.apps)
        current = self.user_filter.currentData()
        self.user_filter.blockSignals(True)
        self.user_filter.clear()
        self.user_filter.addItem(self.tr("All users"), None)
        for name in options.users:
            self.user_filter.addItem(name, name)
        self.user_filter.setCurrentIndex(max(self.user_filter.findData(current), 0))
        self.user_filter.blockSignals(False)

    def _on_traces_loaded(self, traces: list[dict[str, Any]]) -> None:
        self.model.set_traces(traces, self._apps)
        filtered = self.filters() != TraceFilter()
        if traces:
            self.empty.hide()
        else:
            self.empty.setText(
                self.tr("No chat turns match these filters — widen or clear them.")
                if filtered
                else self.tr("No chat turns yet — conversations in your apps will show up here.")
            )
            self.empty.show()
        self.table.setVisible(bool(traces))
        text = (
            self.tr("Showing the newest {n} turns; narrow the filters to see older ones.")
            if len(traces) >= TRACE_LIMIT
            else self.tr("{n} turns")
        )
        self.count_label.setText(text.format(n=len(traces)))

    # ------------------------------------------------------------------ slots

    def _on_filter_changed(self, *_args: object) -> None:
        self.reload()

    def _on_text_changed(self, _text: str) -> None:
        self._text_timer.start()

    def _on_text_timer_timeout(self) -> None:
        self.reload()

    def _on_refresh_clicked(self) -> None:
        self.activate()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_trace(index.row())

    def open_trace(self, row: int) -> TraceDialog:
        """Show one turn's full trace (non-blocking; the dialog runs its own ops)."""
        trace = self.model.trace(row)
        dialog = TraceDialog(self.ctx, trace, self.model.app_name(trace), self)
        dialog.annotation_did_save.connect(self._on_dialog_annotation_saved)
        dialog.open()
        return dialog

    def _on_dialog_annotation_saved(self, _turn_id: int) -> None:
        QTimer.singleShot(0, self, self.reload)  # not from inside the dialog's op callback

    def _on_export_clicked(self) -> None:
        self.open_export()

    def open_export(self) -> ExportDialog:
        dialog = ExportDialog(self.ctx, self._apps, self)
        dialog.open()
        return dialog

    def _on_prove_clicked(self) -> None:
        self.open_prove()

    def open_prove(self) -> ProveDialog:
        dialog = ProveDialog(self.ctx, self)
        dialog.open()
        return dialog
