"""The network guard's egress allowlist (remote models): with pairs allowed, exactly those
(ip, port) pairs may be connected to; every other address and port, loopback included,
every bind, send and name look-up stays refused. Each scenario runs in a child process,
like tests/unit/test_netguard.py, since audit hooks cannot be removed."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_netguard import run_scenario

LISTEN = """
import threading
server = socket.socket()
server.bind(("127.0.0.1", 0))  # before the guard: the test's own server
server.listen(8)
port = server.getsockname()[1]
other = socket.socket()
other.bind(("127.0.0.1", 0))
other.listen(8)
other_port = other.getsockname()[1]
"""


def test_only_the_allowed_pair_is_reachable(tmp_path: Path) -> None:
    results = run_scenario(
        LISTEN
        + """
netguard.install_network_guard()
netguard.allow_connections([("127.0.0.1", port)])
results["allowed"] = [list(p) for p in netguard.allowed_connections()]
with inet() as s:
    attempt("registered", lambda: s.connect(("127.0.0.1", port)))
with inet() as s:
    attempt("other_port", lambda: s.connect(("127.0.0.1", other_port)))
with inet() as s:
    attempt("other_host", lambda: s.connect(("127.0.0.2", port)))
with inet() as s:
    attempt("bind", lambda: s.bind(("127.0.0.1", 0)))
with inet(kind=socket.SOCK_DGRAM) as s:
    attempt("sendto", lambda: s.sendto(b"x", ("127.0.0.1", port)))
attempt("lookup", lambda: socket.getaddrinfo("localhost", port))
attempt("create_connection", lambda: socket.create_connection(("localhost", port)))
netguard.allow_connections(())
with inet() as s:
    attempt("after_removal", lambda: s.connect(("127.0.0.1", port)))
""",
        tmp_path,
    )
    assert results["registered"] == "allowed"
    for name in (
        "other_port", "other_host", "bind", "sendto", "lookup", "create_connection",
        "after_removal",
    ):  # fmt: skip
        assert results[name] == "refused: Kura does not use the network", name
    events = [event for event, _ in results["violations"]]
    assert events.count("socket.connect") == 3


def test_resolve_looks_up_only_the_name_it_is_asked_for(tmp_path: Path) -> None:
    results = run_scenario(
        """
netguard.install_network_guard()
results["resolved"] = list(netguard.resolve("localhost", 8080))
attempt("lookup_after", lambda: socket.getaddrinfo("localhost", 80))
""",
        tmp_path,
    )
    assert "127.0.0.1" in results["resolved"] or "::1" in results["resolved"]
    assert results["lookup_after"].startswith("refused")
    assert [event for event, _ in results["violations"]] == ["socket.getaddrinfo"]
