"""``python -m desktop.modelhost PARENT_PID``: the model host (started by Kura only)."""

import sys

from desktop.modelhost.child import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
