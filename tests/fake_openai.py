"""A small OpenAI-compatible socket server for tests: answers well, or misbehaves on
purpose (stalls, drops the stream half-way, 429, 500, garbage), and records requests."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

PIECES = ("Hello", ", ", "world", "!")
PACED_TOKENS = 64


def _read_request(rfile: Any) -> tuple[str, dict[str, str], bytes]:
    request_line = rfile.readline().decode("latin-1").strip()
    headers: dict[str, str] = {}
    while True:
        line = rfile.readline().decode("latin-1")
        if line in ("\r\n", "\n", ""):
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = rfile.read(int(headers.get("content-length", "0")))
    return request_line, headers, body


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _vector(text: str) -> list[float]:
    """A deterministic 8-dimensional embedding of ``text`` (words hashed into buckets)."""
    vector = [0.01] * 8
    for word in text.lower().split():
        vector[sum(word.encode()) % 8] += 1.0
    return vector


def _event(obj: Any) -> bytes:
    return _chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")


class FakeOpenAI:
    """``mode``: ok | stall | drop | 429 | 500 | garbage | paced (fixed timing). A
    stalled stream waits until the client goes away; ``GET /v1/models`` lists one model
    (a stalled server never answers it, a garbage one answers what is not JSON). Runs in
    a subprocess (``python -m tests.fake_openai MODE``): the test process's guard refuses
    to listen."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line, headers, body = _read_request(self.rfile)
                record = {"line": line, "headers": headers, **(json.loads(body) if body else {})}
                print("REQ " + json.dumps(record), flush=True)
                inputs = record.get("input", [])
                outer.respond(self.connection, self.wfile, line, inputs)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])

    def respond(self, conn: socket.socket, out: Any, line: str, inputs: list[str]) -> None:
        mode = self.mode
        if mode in ("429", "500"):
            body = json.dumps({"error": {"message": "try later"}}).encode()
            out.write(
                f"HTTP/1.1 {mode} X\r\nContent-Type: application/json\r\n"
                f"Retry-After: 0\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            return
        if line.startswith("GET ") and "/models" in line:
            if mode == "stall":  # no answer at all, until the client goes away
                conn.settimeout(120)
                with contextlib.suppress(OSError):
                    conn.recv(1)
                return
            models = {"object": "list", "data": [{"id": "served-model", "object": "model"}]}
            body = b"{this is not json" if mode == "garbage" else json.dumps(models).encode()
            out.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            return
        if "/embeddings" in line:
            data = [{"index": i, "embedding": _vector(t)} for i, t in enumerate(inputs)]
            body = json.dumps({"model": "served-embed", "data": data}).encode()
            out.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            return
        out.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        if mode == "garbage":
            out.write(_chunk(b"data: {this is not json\n\n"))
            out.flush()
            return
        if mode == "paced":  # a server with fixed timing: 100 ms to the first token, 50/s
            time.sleep(0.1)
            for _ in range(PACED_TOKENS):
                out.write(_event({"model": "paced", "choices": [{"delta": {"content": " x"}}]}))
                out.flush()
                time.sleep(0.02)
            out.write(_chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")
            out.flush()
            return
        for i, piece in enumerate(PIECES):
            delta = {"content": piece}
            out.write(_event({"model": "served-model", "choices": [{"delta": delta}]}))
            out.flush()
            if i == 1 and mode == "drop":
                return
            if i == 1 and mode == "stall":
                conn.settimeout(120)
                with contextlib.suppress(OSError):
                    conn.recv(1)  # until the client goes away
                return
        finish = {"delta": {}, "finish_reason": "stop"}
        out.write(_event({"model": "served-model", "choices": [finish]}))
        usage = {"prompt_tokens": 11, "completion_tokens": 4, "total_tokens": 15}
        out.write(_event({"model": "served-model", "choices": [], "usage": usage}))
        out.write(_chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")
        out.flush()


@dataclass
class FakeServer:
    """The test's handle on the subprocess: its port, and (after the block) the requests."""

    port: int
    process: subprocess.Popen[str]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        out, _ = self.process.communicate(timeout=60)
        if not self.requests:
            lines = [line[4:] for line in out.splitlines() if line.startswith("REQ ")]
            self.requests = [json.loads(line) for line in lines]

    @property
    def headers(self) -> list[dict[str, str]]:
        return [r["headers"] for r in self.requests]


@contextmanager
def fake_openai(mode: str = "ok") -> Iterator[FakeServer]:
    """A fake server in a subprocess; the guard of this process is told to allow it."""
    from desktop.security import netguard

    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_openai", mode],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    port = int(process.stdout.readline().split()[1])
    server = FakeServer(port, process)
    before = netguard.allowed_connections()
    netguard.allow_connections([*before, ("127.0.0.1", port)])
    try:
        yield server
    finally:
        netguard.allow_connections(before)
        server.stop()


def main() -> None:
    fake = FakeOpenAI(sys.argv[1])
    print(f"PORT {fake.port}", flush=True)
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
