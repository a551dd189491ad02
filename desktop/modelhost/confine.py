"""What the model host does to itself before it loads anything.

The host holds no key, no keyring handle and no workspace path, and a model file is
untrusted input for the parsers in llama.cpp and torch. So, in the host's main thread
and before any other thread exists:

- ``PR_SET_NO_NEW_PRIVS``: nothing it executes can gain privileges (also a precondition
  of the two filters below);
- ``PR_SET_PDEATHSIG``: the kernel kills it when Kura goes, however Kura goes;
- seccomp (libseccomp through ``pyseccomp``): ``socket``, ``socketpair`` and
  ``io_uring_setup`` fail with EACCES, so no network and no D-Bus (the keyring) whatever
  a runtime tries;
- Landlock: every file write, creation, removal, rename and truncation is refused
  everywhere except the device nodes GPU drivers open read-write (``/dev/null``,
  ``/dev/dri``, ``/dev/nvidia*``, ``/dev/kfd``), and TCP bind/connect where the kernel
  can (ABI 4); reading model files stays allowed.

Each step reports what it did or why the kernel did not let it; ``kura doctor`` prints
the report. Where the kernel lacks a feature the host still runs (with the application's
own guards), and the report says so.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import signal
import sys
from typing import Any

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_SYS_LANDLOCK = {"create_ruleset": 444, "add_rule": 445, "restrict_self": 446}
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

# Landlock filesystem rights (include/uapi/linux/landlock.h).
_FS_WRITE_FILE = 1 << 1
_FS_REMOVE_DIR, _FS_REMOVE_FILE = 1 << 4, 1 << 5
_FS_MAKE = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
_FS_REFER, _FS_TRUNCATE = 1 << 13, 1 << 14
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_DEVICE_NODES = ("/dev/null", "/dev/dri", "/dev/kfd", "/dev/nvidia*")


_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, value: int) -> None:
    if _libc().prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def no_new_privs() -> str:
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    return "on"


def die_with_parent(parent_pid: int) -> str:
    _prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)
    return "SIGKILL when Kura exits"


def deny_sockets() -> str:
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as exc:  # libseccomp missing
        raise OSError(errno.ENOSYS, f"libseccomp is not available ({exc})") from exc
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, should one exist already
    refused = []
    for name in ("socket", "socketpair", "io_uring_setup"):
        try:
            rules.add_rule(seccomp.ERRNO(errno.EACCES), name)
        except (OSError, RuntimeError, ValueError):
            if name == "socket":  # the one that matters: without it, no filter at all
                raise
            continue  # a libseccomp too old to know this one: the others still apply
        refused.append(f"{name}()")
    rules.load()
    return f"{', '.join(refused)} refused"


def _syscall(name: str, *args: Any) -> int:
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    result = int(libc.syscall(ctypes.c_long(_SYS_LANDLOCK[name]), *args))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def _allow_device_writes(ruleset: int, rights: int) -> None:
    """Let GPU drivers open their device nodes read-write; a node that cannot be added
    stays refused, and the rest of the ruleset still applies."""
    for pattern in _DEVICE_NODES:
        for path in glob.glob(pattern):
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rule = _PathBeneath(rights, fd)
                _syscall(
                    "add_rule",
                    ctypes.c_int(ruleset),
                    ctypes.c_int(_RULE_PATH_BENEATH),
                    ctypes.byref(rule),
                    ctypes.c_uint32(0),
                )
            except OSError:
                pass
            finally:
                os.close(fd)


def deny_writes() -> str:
    abi = _syscall(
        "create_ruleset", None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION)
    )
    writes = _FS_WRITE_FILE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE
    writes |= _FS_REFER if abi >= 2 else 0
    writes |= _FS_TRUNCATE if abi >= 3 else 0
    net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0
    # ABI 6: no signal to a process outside the sandbox (Kura itself), no abstract socket
    scoped = (_SCOPE_SIGNAL | _SCOPE_ABSTRACT_UNIX_SOCKET) if abi >= 6 else 0
    attr = _RulesetAttr(writes, net, scoped)
    size = 8 * (3 if abi >= 6 else 2 if abi >= 4 else 1)
    ruleset = _syscall(
        "create_ruleset", ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)
    )
    try:
        _allow_device_writes(ruleset, _FS_WRITE_FILE | (_FS_TRUNCATE if abi >= 3 else 0))
        _syscall("restrict_self", ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    extra = (", TCP bind/connect refused" if abi >= 4 else "") + (
        ", no signals out of the sandbox" if abi >= 6 else ""
    )
    return f"file writes refused outside GPU device nodes (Landlock ABI {abi}{extra})"


def confine(parent_pid: int) -> dict[str, str]:
    """Apply every confinement this OS offers; returns what each step did."""
    report: dict[str, str] = {}
    if not sys.platform.startswith("linux"):
        return {"confinement": "none beyond Kura's own guards on this OS"}
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:  # Landlock binds the calling thread only: never half-confine
        raise RuntimeError(f"the model host runs {threads} threads before confining itself")
    steps = (
        ("no_new_privs", no_new_privs),
        ("die_with_parent", lambda: die_with_parent(parent_pid)),
        ("seccomp", deny_sockets),
        ("landlock", deny_writes),
    )
    for name, step in steps:
        try:
            report[name] = step()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            report[name] = f"unavailable: {reason}"
    return report
