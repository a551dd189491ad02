"""The client against a host that misbehaves: Kura's side fails the one request with
ModelProcessStopped and never hangs, whatever the child sends or does."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from desktop.core.errors import ModelProcessStopped
from desktop.modelhost import client
from desktop.modelhost.client import HostProcess

HELLO = (
    "import json, struct, sys, time\n"
    "out = sys.stdout.buffer\n"
    "def send(obj, raw=None):\n"
    "    head = raw if raw is not None else json.dumps(obj).encode()\n"
    "    out.write(struct.pack('!II', len(head), 0) + head); out.flush()\n"
    "send({'op': 'hello', 'v': 1, 'pid': 0, 'confinement': {}})\n"
    "sys.stdin.buffer.read(8)\n"
)
BEHAVIOURS = {
    "deeply nested JSON": "send(None, b'[' * 100000 + b']' * 100000)\ntime.sleep(60)\n",
    "a frame over the size limit": "out.write(struct.pack('!II', 1 << 30, 0)); out.flush()\n"
    "time.sleep(60)\n",
    "an id that is not an integer": "send({'id': True, 'ok': True})\ntime.sleep(60)\n",
    "an error that is not an object": "send({'id': 1, 'error': 'boom'})\ntime.sleep(60)\n",
    "exiting with a code": "sys.exit(3)\n",
}


@pytest.fixture
def fake_host(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def make(behaviour: str) -> HostProcess:
        script = HELLO + behaviour
        monkeypatch.setattr(client, "host_command", lambda: [sys.executable, "-c", script, "--"])
        return HostProcess("fake")

    return make


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_a_broken_reply_fails_the_request_and_the_host_is_replaced(
    fake_host,
    name: str,  # type: ignore[no-untyped-def]
) -> None:
    host = fake_host(BEHAVIOURS[name])
    started = time.monotonic()
    with pytest.raises(ModelProcessStopped) as caught:
        host.request("info")
    assert time.monotonic() - started < 30
    assert "\n" not in caught.value.message
    assert not host.alive
    host.close()


def test_close_stops_a_host_that_hangs_mid_request(fake_host) -> None:  # type: ignore[no-untyped-def]
    host = fake_host("time.sleep(600)\n")
    failures: list[BaseException] = []

    def ask() -> None:
        try:
            host.request("embed.encode", folder="", texts=["x"])
        except BaseException as exc:
            failures.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.5)
    started = time.monotonic()
    host.close()  # does not wait for the request it interrupts
    asker.join(30)
    assert not asker.is_alive() and time.monotonic() - started < 15
    assert isinstance(failures[0], ModelProcessStopped)
