"""The network guard. Each scenario runs in a child process: audit hooks cannot be removed,
so installing the guard in the test process would outlive the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
import json, socket, sys
from desktop.security import netguard

results = {}

def attempt(name, call):
    try:
        call()
    except PermissionError as exc:
        results[name] = "refused: " + str(exc)
    except OSError as exc:
        results[name] = "allowed (" + type(exc).__name__ + ")"
    else:
        results[name] = "allowed"

def inet(family=socket.AF_INET, kind=socket.SOCK_STREAM):
    return socket.socket(family, kind)
"""

EPILOGUE = """
results["violations"] = [[v.event, v.target] for v in netguard.violations()]
print(json.dumps(results))
"""


def run_scenario(body: str, tmp_path: Path) -> dict:
    script = PRELUDE + textwrap.dedent(body) + EPILOGUE
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KURA_TMP": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_nothing_is_refused_before_install(tmp_path: Path):
    results = run_scenario(
        """
        results["installed"] = netguard.is_installed()
        with inet() as s:
            attempt("bind", lambda: s.bind(("127.0.0.1", 0)))
        """,
        tmp_path,
    )
    assert results["installed"] is False
    assert results["bind"] == "allowed"
    assert results["violations"] == []


def test_ip_network_use_is_refused(tmp_path: Path):
    results = run_scenario(
        """
        netguard.install_network_guard()
        with inet() as s:
            attempt("connect", lambda: s.connect(("127.0.0.1", 9)))
            attempt("connect_ex", lambda: s.connect_ex(("192.0.2.1", 80)))
            attempt("bind", lambda: s.bind(("127.0.0.1", 0)))
        with inet(kind=socket.SOCK_DGRAM) as s:
            attempt("sendto", lambda: s.sendto(b"x", ("192.0.2.1", 53)))
        if socket.has_ipv6:
            with inet(socket.AF_INET6) as s:
                attempt("connect6", lambda: s.connect(("::1", 9)))
        else:
            results["connect6"] = "refused: no IPv6 here"
        attempt("getaddrinfo", lambda: socket.getaddrinfo("localhost", 80))
        attempt("gethostbyname", lambda: socket.gethostbyname("example.org"))
        attempt("create_connection", lambda: socket.create_connection(("example.org", 443)))
        import urllib.error, urllib.request
        try:
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)
        except urllib.error.URLError as exc:  # urllib wraps the PermissionError
            results["urlopen"] = type(exc.reason).__name__ + ": " + str(exc.reason)
        """,
        tmp_path,
    )
    for name in (
        "connect",
        "connect_ex",
        "bind",
        "sendto",
        "connect6",
        "getaddrinfo",
        "gethostbyname",
        "create_connection",
    ):
        assert results[name].startswith("refused"), (name, results[name])
    assert results["connect"] == "refused: Kura does not use the network"
    assert results["urlopen"] == "PermissionError: Kura does not use the network"
    events = {event for event, _ in results["violations"]}
    assert {"socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"} <= events
    assert ["socket.connect", "('127.0.0.1', 9)"] in results["violations"]


@pytest.mark.skipif(not hasattr(__import__("socket"), "AF_UNIX"), reason="no AF_UNIX")
def test_unix_sockets_stay_allowed(tmp_path: Path):
    results = run_scenario(
        """
        import os
        netguard.install_network_guard()
        path = os.path.join(os.environ["KURA_TMP"], "s")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attempt("bind", lambda: server.bind(path))
        server.listen(1)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attempt("connect", lambda: client.connect(path))
        peer, _ = server.accept()
        client.sendall(b"ping")
        results["echo"] = peer.recv(4).decode()
        a, b = socket.socketpair()
        a.sendall(b"pong")
        results["pair"] = b.recv(4).decode()
        for s in (server, client, peer, a, b):
            s.close()
        """,
        tmp_path,
    )
    assert results["bind"] == "allowed"
    assert results["connect"] == "allowed"
    assert results["echo"] == "ping"
    assert results["pair"] == "pong"
    assert results["violations"] == []


def test_install_is_idempotent_and_reports(tmp_path: Path):
    results = run_scenario(
        """
        import sys
        seen = []
        hooks_before = len(getattr(sys, "_hooks", ()))
        netguard.install_network_guard(on_violation=lambda v: seen.append(v.event))
        netguard.install_network_guard()
        netguard.install_network_guard()

        def broken(_v):
            raise RuntimeError("reporter bug")

        with inet() as s:
            attempt("first", lambda: s.connect(("127.0.0.1", 9)))
        netguard.install_network_guard(on_violation=broken)
        with inet() as s:
            attempt("second", lambda: s.connect(("127.0.0.1", 9)))
        results["seen"] = seen
        results["installed"] = netguard.is_installed()
        """,
        tmp_path,
    )
    assert results["installed"] is True
    # one hook: the attempt is recorded once per call, not once per install
    assert results["seen"] == ["socket.connect"]
    assert results["first"].startswith("refused")
    assert results["second"].startswith("refused")  # a failing reporter does not let it pass
    assert len(results["violations"]) == 2
