"""Process hardening: a crash must not write the process's memory (keys, chats) to disk."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """No core file (RLIMIT_CORE 0) and, on Linux, not dumpable (no systemd-coredump or
    apport copy of the memory, no ptrace by other users). Best effort elsewhere."""
    try:
        import resource
    except ImportError:  # Windows: no core files
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        libc_name = ctypes.util.find_library("c")
        if libc_name:
            ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
