"""Loaded by every ``kura`` subprocess the integration tests start (via PYTHONPATH).

Independent of the app's own guard: any IP socket or name look-up attempt writes a
marker to stderr and kills the process with exit code 99, so an attempt can never be
swallowed by an ``except`` in the code under test.
"""

import os
import socket
import sys

_EVENTS = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}
MARKER = b"KURA-TEST: NETWORK ATTEMPT"


def _hook(event: str, args: tuple) -> None:
    if event not in _EVENTS:
        return
    sock = args[0] if args else None
    if isinstance(sock, socket.socket) and sock.family == socket.AF_UNIX:
        return
    os.write(2, MARKER + b" " + event.encode() + b" " + repr(args[1:2]).encode() + b"\n")
    os._exit(99)


sys.addaudithook(_hook)
