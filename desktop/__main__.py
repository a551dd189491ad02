"""``python -m desktop`` is ``kura``."""

import sys

from desktop.cli import main

sys.exit(main())
