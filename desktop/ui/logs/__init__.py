"""The Logs screen: traces, a turn's full trace, annotations and signed export."""

from desktop.ui.logs.view import LogsView

__all__ = ["LogsView"]
