"""The Usage screen's pyqtgraph pieces: pyqtgraph imported lazily, a day axis that
labels day indexes ``MM-DD``, and a count axis that ticks only at whole numbers."""

from __future__ import annotations

import functools
import math
from typing import Any

LABEL_PX = 56  # room one ``MM-DD`` tick label needs on the day axis


@functools.cache
def pg_module() -> Any:
    """pyqtgraph, configured once (imported lazily: first paint stays fast)."""
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background=None, foreground="#4b5563")
    return pg


@functools.cache
def date_axis_class() -> type:
    pg = pg_module()

    class DateAxisItem(pg.AxisItem):  # type: ignore[misc, name-defined]
        """A bottom axis whose ticks are day indexes shown as ``MM-DD``."""

        def __init__(self) -> None:
            super().__init__(orientation="bottom")
            self.days: list[str] = []

        def set_days(self, days: list[str]) -> None:
            self.days = days
            self.picture = None  # redraw with the new labels
            self.update()

        def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
            if not self.days:
                return list(super().tickValues(minVal, maxVal, size))
            room = max(2, int(size // LABEL_PX))
            step = max(1, math.ceil(len(self.days) / room))
            return [(float(step), [float(n) for n in range(0, len(self.days), step)])]

        def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
            out = []
            for value in values:
                n = round(value)
                ok = abs(value - n) < 1e-6 and 0 <= n < len(self.days)
                out.append(self.days[n][5:] if ok else "")
            return out

    return DateAxisItem


@functools.cache
def count_axis_class() -> type:
    pg = pg_module()

    class CountAxisItem(pg.AxisItem):  # type: ignore[misc, name-defined]
        """A left axis for counts: ticks only at whole numbers (1, 2, 5 × 10^k apart)."""

        def __init__(self) -> None:
            super().__init__(orientation="left")

        def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
            return [(float(step), values) for step, values in count_ticks(minVal, maxVal, size)]

    return CountAxisItem


def count_ticks(low: float, high: float, size: float) -> list[tuple[int, list[float]]]:
    """Whole-number tick values for a count axis of ``size`` pixels (about one tick per
    40 px): one level with a step of 1, 2 or 5 × 10^k, never below 1."""
    span = max(high - low, 1e-9)
    room = max(2, int(size // 40))
    decade, step = 1, 1
    while span / step > room:
        step = next((decade * f for f in (2, 5) if span / (decade * f) <= room), decade * 10)
        decade = step if step == decade * 10 else decade
    first = math.ceil(low / step) * step
    values = [float(v) for v in range(first, math.floor(high) + 1, step)]
    return [(step, values)]
