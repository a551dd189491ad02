"""``kura`` and ``python -m desktop``: no arguments open the GUI, otherwise the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--model-host"]:  # the child process Kura starts for its models
        from desktop.modelhost.child import main as host_main

        return host_main(args[1:])
    gui_dir = _gui_data_dir(args)
    if not args or gui_dir is not None:
        from desktop.ui.launch import main as gui_main

        return gui_main(gui_dir)
    from desktop.cli import main as cli_main

    return cli_main(args)


def _gui_data_dir(args: list[str]) -> Path | None:
    """``--data-dir D`` (or ``--data-dir=D``) and nothing else: the GUI on D."""
    if len(args) == 2 and args[0] == "--data-dir" and args[1] and not args[1].startswith("-"):
        return Path(args[1]).expanduser()
    if len(args) == 1 and args[0].startswith("--data-dir=") and len(args[0]) > 11:
        return Path(args[0].split("=", 1)[1]).expanduser()
    return None


if __name__ == "__main__":
    sys.exit(main())
