"""The Usage screen: tokens per day by app or by user (stacked bars), answers per day,
how answers were rated, and summary tiles, over the last 7, 30 or 90 days.

Charts are pyqtgraph (MIT), imported only when the first report arrives so the window
paints without it. The report comes from ``UsageService.usage`` on the ``db`` lane,
the usage limits and their consumption from ``LimitService.status``
(:mod:`desktop.ui.usage_limits`); the screen is for the Owner and Admins
(``Permission.VIEW_LOGS``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.core.limits import LimitUse
from desktop.core.rbac import Permission
from desktop.core.services.usage import UsageReport
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.usage_axes import count_axis_class, date_axis_class, pg_module
from desktop.ui.usage_limits import LimitsCard
from desktop.ui.usage_limits_editor import LimitChoice, LimitsEditor
from desktop.ui.view import View
from desktop.ui.widgets import page_header

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
COLOURS = ("#3b6fd8", "#e07a5f", "#81b29a", "#f2cc8f", "#8e7dbe", "#4ea8de", "#c06c84")
OTHERS_COLOUR = "#b8bec9"
MAX_SERIES = len(COLOURS)
MIN_RATINGS_FOR_SHARE = 5  # fewer ratings show as counts, not as a share


# ---------------------------------------------------------------------- data shaping


def day_range(first_day: str, last_day: str) -> list[str]:
    """Every ``YYYY-MM-DD`` from ``first_day`` to ``last_day``, inclusive."""
    first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def token_series(rows: list[tuple[str, str, int, int]], days: list[str]) -> dict[str, list[int]]:
    """Tokens (prompt + completion) per day for each name, biggest first; names past
    ``MAX_SERIES - 1`` are summed into one "others" series keyed ``""``."""
    where = {day: n for n, day in enumerate(days)}
    series: dict[str, list[int]] = {}
    for day, name, prompt, completion in rows:
        if day in where:
            series.setdefault(name, [0] * len(days))[where[day]] += prompt + completion
    ranked = sorted(series, key=lambda name: (-sum(series[name]), name.casefold()))
    if len(ranked) <= MAX_SERIES:
        return {name: series[name] for name in ranked}
    kept = {name: series[name] for name in ranked[: MAX_SERIES - 1]}
    rest = [series[name] for name in ranked[MAX_SERIES - 1 :]]
    kept[""] = [sum(values) for values in zip(*rest, strict=True)]
    return kept


def per_day(rows: list[tuple[str, int]], days: list[str]) -> list[int]:
    counts = dict(rows)
    return [int(counts.get(day, 0)) for day in days]


# ---------------------------------------------------------------------- widgets


class _Tile(QFrame):
    """A number with a caption."""

    def __init__(self, name: str, caption: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("tile", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.value = PlainLabel("—", self)
        self.value.setObjectName("tileValue")
        self.value.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.caption = PlainLabel(caption, self)
        self.caption.setObjectName("tileCaption")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class UsageView(View):
    """Summary tiles over three charts; ``report`` is the last report shown."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("usageView")
        self.report: UsageReport | None = None
        self.days = DEFAULT_PERIOD
        self.by = "app"
        self.charts: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(self._build_header())
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        self.limits = LimitsCard(self)  # hidden until a limit is set (ui/usage_limits.py)
        layout.addWidget(self.limits)
        self.pages = QStackedWidget(self)
        self.body = self._build_body()
        self.pages.addWidget(self.body)
        self.notice = PlainLabel(self)
        self.notice.setObjectName("emptyState")
        self.notice.setWordWrap(True)
        self.pages.addWidget(self.notice)
        layout.addWidget(self.pages, 1)

    def title(self) -> str:
        return self.tr("Usage")

    def _segmented(self, options: list[tuple[str, object, str]], current: object) -> QButtonGroup:
        group = QButtonGroup(self)
        group.setExclusive(True)
        for label, value, name in options:
            button = QPushButton(label, self)
            button.setObjectName(name)
            button.setCheckable(True)
            button.setChecked(value == current)
            button.setProperty("value", value)
            group.addButton(button)
        return group

    def _build_header(self) -> QHBoxLayout:
        labels = {7: self.tr("7 days"), 30: self.tr("30 days"), 90: self.tr("90 days")}
        self.period_group = self._segmented(
            [(labels[d], d, f"period{d}") for d in PERIODS], DEFAULT_PERIOD
        )
        self.period_group.buttonClicked.connect(self._on_period_clicked)
        self.edit_limits = QPushButton(self.tr("Set limits…"), self)
        self.edit_limits.setObjectName("editLimitsButton")
        self.edit_limits.setToolTip(self.tr("Set or clear usage limits (Owner)"))
        self.edit_limits.clicked.connect(self._on_edit_limits_clicked)
        self.edit_limits.hide()  # shown to those who may manage limits (activate)
        self.limits_editor: LimitsEditor | None = None
        return page_header(self.tr("Usage"), self, self.edit_limits, *self.period_group.buttons())

    def _card(self, title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame(parent)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(12, 10, 12, 10)
        heading = PlainLabel(title, card)
        heading.setStyleSheet("font-weight: 600;")
        layout.addWidget(heading)
        return card, layout

    def _build_body(self) -> QWidget:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        self.tiles = {
            "tokens": _Tile("tileTokens", self.tr("Tokens (prompt + answer)"), body),
            "turns": _Tile("tileTurns", self.tr("Answers"), body),
            "ratings": _Tile("tileRatings", self.tr("Rated helpful / not helpful"), body),
        }
        for column, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, column)
        card, self.tokens_box = self._card(self.tr("Tokens per day"), body)
        self.by_group = self._segmented(
            [(self.tr("By app"), "app", "byApp"), (self.tr("By user"), "user", "byUser")], "app"
        )
        toggle = QHBoxLayout()
        toggle.addStretch(1)
        for button in self.by_group.buttons():
            toggle.addWidget(button)
        self.tokens_box.addLayout(toggle)
        self.by_group.buttonClicked.connect(self._on_by_clicked)
        grid.addWidget(card, 1, 0, 1, 3)
        card, self.turns_box = self._card(self.tr("Answers per day"), body)
        grid.addWidget(card, 2, 0, 1, 2)
        card, self.ratings_box = self._card(self.tr("Ratings"), body)
        grid.addWidget(card, 2, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        return body

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        self.edit_limits.setVisible(self.ctx.can(Permission.MANAGE_LIMITS))
        if not self.ctx.can(Permission.VIEW_LOGS):
            self._show_notice(self.tr("Only the Owner and Admins can see usage."))
            return
        self.reload()

    def reload(self) -> None:
        try:
            actor = self.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        days = self.days
        self.message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.usage.usage(actor, days=days),
            key="usage",
            on_done=self._on_report_loaded,
            on_failed=self.message.show_error,
        )
        self._reload_limits()

    def _reload_limits(self) -> None:
        try:
            actor = self.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.run(
            Lane.DB,
            lambda lc: lc.ws.limits.status(actor),
            key="limits",
            on_done=self._on_limits_loaded,
            on_failed=self.message.show_error,
        )

    def _on_limits_loaded(self, uses: list[LimitUse]) -> None:
        self.limits.show_uses(uses)

    # ------------------------------------------------------------------ the Owner's limits

    def _on_edit_limits_clicked(self) -> None:
        if self.limits_editor is None:
            self.limits_editor = LimitsEditor(self._on_limit_chosen, self)
            self.limits_editor.finished.connect(self._on_limits_editor_closed)
        self.limits_editor.open()

    def _on_limits_editor_closed(self) -> None:
        editor, self.limits_editor = self.limits_editor, None
        if editor is not None:
            editor.deleteLater()

    def _on_limit_chosen(self, choice: LimitChoice) -> None:
        """Set or clear it with the service ``kura limits`` uses, then show the card anew."""
        editor = self.limits_editor
        if editor is None:
            return
        try:
            actor = self.actor()
        except AppError as exc:
            editor.message.show_error(exc)
            editor.set_busy(False)
            return

        def op(lc: LaneContext) -> None:
            if choice.value is None:
                lc.ws.limits.clear_limits(actor, choice.scope, choice.name, (choice.kind,))
            else:
                lc.ws.limits.set_limits(
                    actor, choice.scope, choice.name, {choice.kind: choice.value}
                )

        def done(_: None) -> None:
            self._reload_limits()
            if self.limits_editor is not editor:  # closed meanwhile
                return
            kind = editor.kind_text(choice.kind)
            if choice.value is None:
                text = self.tr("Cleared: {name} has no limit on {kind} now.")
            else:
                text = self.tr("Set: {kind} for {name}: {value}.")
            value = f"{choice.value:,}" if choice.value is not None else ""
            editor.message.show_info(text.format(name=choice.name, kind=kind, value=value))

        def failed(exc: BaseException) -> None:
            if self.limits_editor is editor:
                editor.message.show_error(exc)

        def settled() -> None:
            if self.limits_editor is editor:
                editor.set_busy(False)

        self.run(Lane.DB, op, key="limits_edit", on_done=done, on_failed=failed, on_finally=settled)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.pages.setCurrentWidget(self.notice)

    def _on_report_loaded(self, report: UsageReport) -> None:
        self.report = report
        if report.total_turns == 0:
            self._show_notice(
                self.tr(
                    "No answers in the last {days} days yet — usage shows up here once "
                    "people chat with your apps."
                ).format(days=report.days)
            )
            return
        self.pages.setCurrentWidget(self.body)
        self._fill_tiles(report)
        self._draw(report)

    def _fill_tiles(self, report: UsageReport) -> None:
        self.tiles["tokens"].value.setText(f"{report.total_tokens:,}")
        self.tiles["turns"].value.setText(f"{report.total_turns:,}")
        up, down = report.ratings.get("up", 0), report.ratings.get("down", 0)
        self.tiles["ratings"].value.setText(self._ratings_text(up, down))

    def _ratings_text(self, up: int, down: int) -> str:
        """A share only from ``MIN_RATINGS_FOR_SHARE`` ratings on; fewer show as counts
        (one rating is not "100% helpful")."""
        rated = up + down
        if not rated:
            return self.tr("No ratings yet")
        if rated < MIN_RATINGS_FOR_SHARE:
            if rated == 1:
                return self.tr("1 rating: {up} helpful · {down} not").format(up=up, down=down)
            return self.tr("{n} ratings: {up} helpful · {down} not").format(
                n=rated, up=up, down=down
            )
        share = round(100 * up / rated)
        return self.tr("{up}% helpful · {down}% not ({n} ratings)").format(
            up=share, down=100 - share, n=rated
        )

    # ------------------------------------------------------------------ charts

    def _ensure_charts(self) -> None:
        if self.charts:
            return
        pg = pg_module()
        axis, counts = date_axis_class(), count_axis_class()
        for key, box in (("tokens", self.tokens_box), ("turns", self.turns_box)):
            plot = pg.PlotWidget(self, axisItems={"bottom": axis(), "left": counts()})
            plot.setObjectName(f"{key}Chart")
            plot.setMouseEnabled(x=False, y=False)
            plot.showGrid(y=True, alpha=0.2)
            plot.setMinimumHeight(160)
            box.addWidget(plot, 1)
            self.charts[key] = plot
        self.charts["legend"] = self.charts["tokens"].addLegend(offset=(10, 5))
        ratings = pg.PlotWidget(self, axisItems={"left": counts()})
        ratings.setObjectName("ratingsChart")
        ratings.setMouseEnabled(x=False, y=False)
        ratings.setMinimumHeight(160)
        self.ratings_box.addWidget(ratings, 1)
        self.charts["ratings"] = ratings

    def _draw(self, report: UsageReport) -> None:
        self._ensure_charts()
        days = day_range(report.first_day, report.last_day)
        for key in ("tokens", "turns"):
            self.charts[key].getAxis("bottom").set_days(days)
        self._draw_tokens(report, days)
        turns = self.charts["turns"]
        turns.clear()
        turns.plot(
            list(range(len(days))),
            per_day(report.turns_by_day, days),
            pen=pg_module().mkPen(COLOURS[0], width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=COLOURS[0],
        )
        turns.setXRange(-0.5, len(days) - 0.5, padding=0)
        self._draw_ratings(report)

    def _draw_tokens(self, report: UsageReport, days: list[str]) -> None:
        pg = pg_module()
        plot, legend = self.charts["tokens"], self.charts["legend"]
        plot.clear()
        legend.clear()
        rows = report.tokens_by_day_app if self.by == "app" else report.tokens_by_day_user
        series = token_series(rows, days)
        x = list(range(len(days)))
        bottoms = [0] * len(days)
        for n, (name, values) in enumerate(series.items()):
            colour = COLOURS[n] if name else OTHERS_COLOUR
            bars = pg.BarGraphItem(
                x=x,
                height=values,
                y0=list(bottoms),
                width=0.7,
                brush=colour,
                pen=None,
                name=name or self.tr("others"),
            )
            plot.addItem(bars)
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        plot.setXRange(-0.5, len(days) - 0.5, padding=0)
        plot.setYRange(0, max([*bottoms, 1]) * 1.1, padding=0)
        self.charts["series"] = series

    def _draw_ratings(self, report: UsageReport) -> None:
        pg = pg_module()
        plot = self.charts["ratings"]
        plot.clear()
        keys = ("up", "down", "none")
        heights = [report.ratings.get(k, 0) for k in keys]
        brushes = ["#81b29a", "#e07a5f", OTHERS_COLOUR]
        plot.addItem(pg.BarGraphItem(x=[0, 1, 2], height=heights, width=0.6, brushes=brushes))
        labels = [self.tr("Helpful"), self.tr("Not helpful"), self.tr("Not rated")]
        plot.getAxis("bottom").setTicks([list(enumerate(labels))])
        plot.setXRange(-0.6, 2.6, padding=0)
        plot.setYRange(0, max([*heights, 1]) * 1.15, padding=0)

    # ------------------------------------------------------------------ slots

    def _on_period_clicked(self, button: QPushButton) -> None:
        self.days = int(button.property("value"))
        self.reload()

    def _on_by_clicked(self, button: QPushButton) -> None:
        self.by = str(button.property("value"))
        if self.report is not None and self.report.total_turns:
            days = day_range(self.report.first_day, self.report.last_day)
            self._draw_tokens(self.report, days)
