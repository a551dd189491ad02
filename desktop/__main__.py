"""``kura`` and ``python -m desktop``: no arguments open the GUI, otherwise the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--model-host"]:  # the child process Kura starts for its models
        from desktop.modelhost.child import main as host_main

        return host_main(args[1:])
    if not args:
        from desktop.ui.launch import main as gui_main

        return gui_main()
    from desktop.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
