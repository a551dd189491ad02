"""The frozen app's entry point: the same dispatch as ``kura`` (GUI without arguments)."""

import sys

from desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
