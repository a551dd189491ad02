"""The main process's side of a model host: start it, talk to it, notice when it dies.

A :class:`HostProcess` starts the child lazily on the first request, over three pipes
(requests, replies, and its standard error, kept in memory for the error message). One
request runs at a time. Cancelling a request's token wakes the thread waiting for its
reply, which sends ``cancel`` at once, so a stop reaches a model between two tokens.
When the child dies the request fails with :class:`ModelProcessStopped` naming the
signal or exit code and the remedy, and the next request starts a fresh child. The
child also dies with Kura: end of input, ``PR_SET_PDEATHSIG`` on Linux, and ``close()``
(called at exit) for an orderly stop.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from desktop.core.errors import (
    GenerationFailed,
    ModelProcessStopped,
)
from desktop.core.messages import Term
from desktop.core.tasks import CancelToken
from desktop.modelhost.wire import VERSION, FrameWriter, WireClosed, read_frame
from desktop.modelhost.wire_errors import decode_error

START_TIMEOUT_S = 120.0
_DEAD = object()
_WAKE = object()
# The host never needs these: the session bus (the keyring), agents, the workspace.
_ENV_DROPPED = ("DBUS_", "SSH_AUTH_SOCK", "GNOME_KEYRING", "KURA_DATA_DIR", "GPG_AGENT")
_ENV_ADDED = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    # GPU drivers keep compiled-kernel caches in the home folder; nothing readable on disk
    "MESA_SHADER_CACHE_DISABLE": "true",
    "CUDA_CACHE_DISABLE": "1",
    "__GL_SHADER_DISK_CACHE": "0",
}
_LIVE: weakref.WeakSet[HostProcess] = weakref.WeakSet()
#: What the message of a host that died tells the user to do, per kind of host.
CHAT_REMEDY = Term("models.advice.chat")
EMBED_REMEDY = Term("models.advice.embed")
OCR_REMEDY = Term("models.advice.ocr")
PII_REMEDY = Term("models.advice.pii")
#: How long a host may take to stop after a cancel before it is killed.
CANCEL_GRACE_S = 10.0


def host_command() -> list[str]:
    """How to start the host: the frozen app's own executable, else this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--model-host"]
    return [sys.executable, "-m", "desktop.modelhost"]


def host_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_DROPPED)}
    env.update(_ENV_ADDED)
    return env


def _signal_name(returncode: int | None) -> str | None:
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


class _Child:
    """One running host process and the threads that watch it. The child leads a process
    group of its own, so closing it ends anything it may have started, too."""

    def __init__(self, name: str, remedy: Term) -> None:
        self.remedy = remedy
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter or executable
            [*host_command(), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=host_environment(),
            cwd=os.path.abspath(os.sep),
            close_fds=True,
            start_new_session=sys.platform != "win32",
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.writer = FrameWriter(self.proc.stdin)
        self.frames: queue.Queue[Any] = queue.Queue()
        self.log: deque[str] = deque(maxlen=40)
        for target, role in ((self._read, "reader"), (self._drain, "stderr"), (self._wait, "wait")):
            threading.Thread(target=target, name=f"{name}-host-{role}", daemon=True).start()

    def _read(self) -> None:
        """Frames off the child's stdout; whatever ends it (end of file, a frame that is
        not one, any error at all) ends the child and wakes the waiting request."""
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                self.frames.put(read_frame(stream))
        except BaseException:  # any failure here means the child is unusable
            self.kill()
        finally:
            self.frames.put(_DEAD)
            with contextlib.suppress(OSError, ValueError):
                stream.close()

    def _drain(self) -> None:
        stream = self.proc.stderr
        assert stream is not None
        with contextlib.suppress(OSError, ValueError):
            for line in iter(lambda: stream.readline(4096), b""):
                text = line.decode("utf-8", "replace").rstrip()
                if text:
                    self.log.append(text)
            stream.close()

    def _wait(self) -> None:
        """A child that exits is noticed even while something else holds its pipes."""
        self.proc.wait()
        self.frames.put(_DEAD)

    def kill(self) -> None:
        """SIGKILL the child's process group (the child and anything it started)."""
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            if sys.platform != "win32":
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.kill()

    def stopped(self, timeout: float = 5.0) -> ModelProcessStopped:
        """The error for a child that closed its end: waits for its exit status."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
        name = _signal_name(code)
        log = "\n".join(self.log)
        if name:
            return ModelProcessStopped(
                "models.host_stopped_signal",
                signal=name,
                advice=self.remedy,
                signal_name=name,
                details=log,
            )
        return ModelProcessStopped(
            "models.host_stopped_exit", exit_code=code, advice=self.remedy, details=log
        )

    def close(self, grace: float = 2.0) -> None:
        """Ask the child to exit, kill it after ``grace`` seconds. Only stdin is closed
        here; the watching threads close nothing and end with the child."""
        if self.proc.poll() is None:
            try:
                self.writer.send({"op": "exit"})
                self.proc.wait(grace)
            except (WireClosed, OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        with contextlib.suppress(OSError, ValueError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)


class HostProcess:
    """A model host, started on first use and again after it dies. Thread-safe: one
    request (or stream) at a time."""

    def __init__(self, name: str, remedy: Term = CHAT_REMEDY) -> None:
        self.name = name
        self.remedy = remedy
        self._lock = threading.Lock()  # one request at a time
        self._state = threading.Lock()  # guards _child; never held while waiting
        self._child: _Child | None = None
        self._ids = itertools.count(1)
        self.epoch = 0  # how many hosts were started; a new one has no model loaded
        self.hello: dict[str, Any] = {}
        self.start_seconds = 0.0
        _LIVE.add(self)

    @property
    def pid(self) -> int | None:
        child = self._child
        return child.proc.pid if child is not None and child.proc.poll() is None else None

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def _ensure(self) -> _Child:
        with self._state:
            child = self._child
        if child is not None and child.proc.poll() is None:
            return child
        if child is not None:
            child.close(grace=0)
        started = time.perf_counter()
        child = _Child(self.name, self.remedy)
        try:
            hello = child.frames.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            child.close(grace=0)
            raise ModelProcessStopped(
                "models.host_start_timeout", details="\n".join(child.log)
            ) from None
        if hello is _DEAD:
            raise child.stopped()
        header = hello[0]
        if header.get("op") != "hello" or header.get("v") != VERSION:
            child.close(grace=0)
            raise ModelProcessStopped("models.host_version_mismatch", details=str(header))
        with self._state:
            self._child, self.hello = child, header
        self.epoch += 1
        self.start_seconds = time.perf_counter() - started
        return child

    def start(self) -> None:
        """Start the host now (no-op when it runs)."""
        with self._lock:
            self._ensure()

    def request(
        self,
        op: str,
        cancel: CancelToken | None = None,
        payload: bytes = b"",
        *,
        on_progress: Callable[[float], None] | None = None,
        **fields: Any,
    ) -> tuple[dict[str, Any], bytes]:
        """Send one request and wait for its reply; AppError as the host raised it.
        ``{"progress": fraction}`` frames before the reply (a model loading) go to
        ``on_progress``."""
        with self._lock:
            for header, body in self._exchange(op, cancel, payload, fields):
                if "progress" in header:
                    value = header["progress"]
                    if on_progress is not None and isinstance(value, int | float):
                        on_progress(float(value))
                    continue
                return header, body
        raise GenerationFailed("models.host_no_reply", op=op)

    def stream(self, op: str, cancel: CancelToken, **fields: Any) -> Iterator[dict[str, Any]]:
        """Send a request and yield its frames up to and including the ``done`` one."""
        with self._lock:
            yield from (header for header, _ in self._exchange(op, cancel, b"", fields))

    def _exchange(
        self, op: str, cancel: CancelToken | None, payload: bytes, fields: dict[str, Any]
    ) -> Iterator[tuple[dict[str, Any], bytes]]:
        child = self._ensure()
        rid = next(self._ids)
        self._send(child, {"op": op, "id": rid, **fields}, payload)
        cancel_sent = finished = False
        # a cancel wakes the wait below at once (no polling: on a machine with as many
        # cores as the model has threads, every wake-up here slows the model down)
        forget = cancel.on_cancel(lambda: child.frames.put(_WAKE)) if cancel else None
        try:
            while not finished:
                if cancel is not None and cancel.cancelled and not cancel_sent:
                    cancel_sent = True
                    self._send(child, {"op": "cancel", "target": rid})
                frame = self._next_frame(child, rid, cancel_sent)
                if frame is None:
                    continue  # woken by the cancel: send it
                header, body = frame
                if "error" in header:
                    finished = True
                    raise decode_error(header["error"])
                if cancel_sent and "piece" in header:
                    continue  # sampled before the stop reached the host: not shown
                finished = "piece" not in header and "progress" not in header
                yield header, body
        finally:
            if forget is not None:
                forget()
            if not finished and child.proc.poll() is None:
                # The caller stopped reading part-way (or raised): stop the host's work so
                # the next request does not wait behind it.
                with contextlib.suppress(WireClosed):
                    child.writer.send({"op": "cancel", "target": rid})

    def _send(self, child: _Child, header: dict[str, Any], payload: bytes = b"") -> None:
        try:
            child.writer.send(header, payload)
        except WireClosed:
            raise self._lost(child) from None

    def _next_frame(
        self, child: _Child, rid: int, cancelled: bool
    ) -> tuple[dict[str, Any], bytes] | None:
        """The next frame of request ``rid``; None when a cancel woke the wait. A host
        that does not stop within CANCEL_GRACE_S of a cancel, or that sends a frame that
        is not a well-formed reply, is killed: the request fails as ModelProcessStopped."""
        while True:
            try:
                frame = child.frames.get(timeout=CANCEL_GRACE_S if cancelled else None)
            except queue.Empty:
                child.kill()
                continue
            if frame is _WAKE:
                return None
            if frame is _DEAD:
                raise self._lost(child)
            header, body = frame
            frame_id = header.get("id")
            if type(frame_id) is not int:
                child.kill()
                continue
            if frame_id != rid:
                continue  # the tail of an earlier, abandoned request
            if "error" in header and not isinstance(header["error"], dict):
                child.kill()
                continue
            return header, body

    def _lost(self, child: _Child) -> ModelProcessStopped:
        error = child.stopped()
        child.close(grace=0)
        with self._state:
            if self._child is child:
                self._child = None
        return error

    def close(self) -> None:
        """Stop the host now, even while a request runs (it fails with
        ModelProcessStopped); the next request starts a new one."""
        with self._state:
            child, self._child = self._child, None
        if child is not None:
            child.close()


@atexit.register
def close_all() -> None:
    """Stop every host this process started (at exit; the kernel covers a crash)."""
    for host in list(_LIVE):
        host.close()
