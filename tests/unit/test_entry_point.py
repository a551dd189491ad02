"""``kura`` with no command opens the GUI, also on a workspace named with --data-dir."""

from __future__ import annotations

from pathlib import Path

import pytest

import desktop.__main__ as entry


@pytest.mark.parametrize(
    ("args", "gui_dir"),
    [
        ([], None),
        (["--data-dir", "~/ws"], Path("~/ws").expanduser()),
        (["--data-dir=/tmp/w"], Path("/tmp/w")),
        (["--data-dir", "/tmp/w", "doctor"], None),
        (["doctor", "--data-dir", "/tmp/w"], None),
        (["--data-dir"], None),
    ],
)
def test_which_arguments_open_the_gui(args: list[str], gui_dir: Path | None) -> None:
    assert entry._gui_data_dir(args) == gui_dir


def test_data_dir_alone_opens_the_gui_there(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path | None] = []
    pytest.importorskip("PySide6", reason="the GUI needs Qt", exc_type=ImportError)
    import desktop.ui.launch as launch

    monkeypatch.setattr(launch, "main", lambda data_dir=None: opened.append(data_dir) or 0)
    assert entry.main(["--data-dir", "/tmp/somewhere"]) == 0
    assert opened == [Path("/tmp/somewhere")]
