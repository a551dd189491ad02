"""Connections to a registered endpoint: only its pinned addresses, TLS verified against
its CA or its pinned certificate SHA-256, cancellable while blocked in a read.

A chat turn opens its connection ahead of the request (:class:`Spare`, started when the
model is loaded): the TCP and TLS handshakes then overlap the chat service's durable
commit of the pending turn instead of following it. Not one byte of the request is sent
before that commit: a spare carries nothing until :func:`request` writes on it."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.core.errors import AppError, Cancelled, GenerationFailed
from desktop.core.remote import RemoteEndpoint
from desktop.core.tasks import CancelToken

#: Statuses worth another try before the first token (the server is busy or restarting).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_RETRY_WAIT_S = 5.0
_TLS_FAILURE = (ssl.SSLError, ssl.CertificateError)
#: A spare connection older than this is closed instead of used (a server may drop idle ones).
SPARE_MAX_AGE_S = 10.0

ErrorFactory = Callable[..., AppError]


class TlsRefused(Exception):
    """The server's certificate is not the pinned one, or not signed by the CA."""


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection that connects only to ``endpoint``'s pinned addresses."""

    def __init__(self, endpoint: RemoteEndpoint, timeout: float) -> None:
        url = endpoint.url
        super().__init__(url.host, url.port, timeout=timeout)
        self._endpoint = endpoint
        self._tls = url.scheme == "https"
        self.peer: tuple[str, int] | None = None

    def connect(self) -> None:
        last: OSError | None = None
        for ip, port in self._endpoint.addresses:
            sock = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET)
            sock.settimeout(self.timeout)
            try:
                sock.connect((ip, port))
            except OSError as exc:
                sock.close()
                last = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.peer = (ip, port)
            self.sock = self._wrap(sock) if self._tls else sock
            return
        raise last or ConnectionRefusedError("no address")

    def _wrap(self, sock: socket.socket) -> ssl.SSLSocket:
        ep = self._endpoint
        if ep.pin_sha256:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the pin below is the check
        else:
            context = ssl.create_default_context(cadata=ep.ca_pem)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            wrapped = context.wrap_socket(sock, server_hostname=ep.url.host)
        except _TLS_FAILURE as exc:
            sock.close()
            raise TlsRefused(str(exc)) from exc
        if ep.pin_sha256:
            der = wrapped.getpeercert(binary_form=True) or b""
            if hashlib.sha256(der).hexdigest() != ep.pin_sha256:
                wrapped.close()
                raise TlsRefused("certificate SHA-256 differs from the pin")
        return wrapped


class Spare:
    """One connection to ``endpoint`` opened in the background, ready for the next
    request. :meth:`take` waits for the handshake (cancellably) and hands the connection
    over, or raises what the connect raised, as a connect of its own would have."""

    def __init__(self, endpoint: RemoteEndpoint) -> None:
        self.endpoint = endpoint
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._conn: _PinnedConnection | None = None
        self._error: BaseException | None = None
        self._abandoned = False
        self._opened_at = time.monotonic()
        self.connect_ms = 0.0
        threading.Thread(target=self._open, name="kura-remote-connect", daemon=True).start()

    def _open(self) -> None:
        started = time.perf_counter()
        conn = _PinnedConnection(self.endpoint, self.endpoint.timeout_s)
        try:
            conn.connect()
        except BaseException as exc:  # handed to take(), in the thread that asked
            conn.close()
            self._error = exc
        else:
            self.connect_ms = round((time.perf_counter() - started) * 1000, 2)
            with self._lock:
                if self._abandoned:
                    conn.close()
                else:
                    self._conn = conn
        self._done.set()

    def stale(self) -> bool:
        """Too old to trust, or its connect failed (a new request connects anew)."""
        if time.monotonic() - self._opened_at > SPARE_MAX_AGE_S:
            return True
        return self._done.is_set() and self._conn is None

    def take(self, cancel: CancelToken) -> _PinnedConnection | None:
        """The open connection (None: stale or dropped by the server, connect anew)."""
        while not self._done.wait(0.05):
            if cancel.cancelled:
                self.close()
                raise Cancelled()
        if self._error is not None:
            raise self._error
        with self._lock:
            conn, self._conn, self._abandoned = self._conn, None, True
        if conn is None or time.monotonic() - self._opened_at > SPARE_MAX_AGE_S or _dropped(conn):
            if conn is not None:
                conn.close()
            return None
        return conn

    def close(self) -> None:
        with self._lock:
            conn, self._conn, self._abandoned = self._conn, None, True
        if conn is not None:
            conn.close()


def _dropped(conn: _PinnedConnection) -> bool:
    """An idle connection the server has closed reads as ready (EOF) before any request.
    Over TLS 1.3 the handshake's tail (session tickets) also reads as ready: a read that
    finds no application data says the connection is still open."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        if not select.select([sock], [], [], 0)[0]:
            return False
        if not isinstance(sock, ssl.SSLSocket):
            return True
        sock.setblocking(False)
        try:
            sock.recv(1)  # data or the end before a request was sent: not usable
        except ssl.SSLWantReadError:
            return False
        finally:
            sock.settimeout(conn.timeout)
    except (OSError, ValueError):
        return True
    return True


@dataclass
class Response:
    """An open response: its status, and the connection to close when done."""

    connection: _PinnedConnection
    raw: http.client.HTTPResponse
    attempts: int
    connect_ms: float
    headers_ms: float
    preconnected: bool = False

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.close()
        with contextlib.suppress(Exception):
            self.connection.close()

    def lines(self) -> Iterator[bytes]:
        """The body's lines as they arrive; b"" is never yielded (the end is the end)."""
        while True:
            line = self.raw.readline(1 << 20)
            if not line:
                return
            yield line


def _headers(api_key: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream, application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


class _Waker:
    """Shuts the socket down when the request is cancelled, so a blocked read returns."""

    def __init__(self, cancel: CancelToken) -> None:
        self._cancel = cancel
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._forget = cancel.on_cancel(self._shutdown)
        self.waiting = threading.Event()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
        if self._cancel.cancelled:
            self._shutdown()

    def _shutdown(self) -> None:
        self.waiting.set()
        with self._lock:
            sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._forget()


def request(
    endpoint: RemoteEndpoint,
    api_key: str | None,
    path: str,
    body: dict[str, Any] | None,
    cancel: CancelToken,
    fail: ErrorFactory = GenerationFailed,
    spare: Spare | None = None,
) -> tuple[Response, _Waker]:
    """POST ``body`` (None: GET) to ``endpoint``'s ``path``; the open 200 response. Connection
    failures and 429/5xx are tried again, at most MAX_ATTEMPTS times in all (honouring
    a Retry-After up to MAX_RETRY_WAIT_S); a timeout or a TLS refusal is not. The first
    try goes on ``spare`` when it is open and fresh."""
    waker = _Waker(cancel)
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    url = endpoint.url
    try:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            cancel.raise_if_cancelled()
            wait = _attempt(endpoint, api_key, url.path + path, data, cancel, waker, fail, spare)
            spare = None
            if isinstance(wait, Response):
                wait.attempts = attempt
                return wait, waker
            status, delay = wait
            if attempt == MAX_ATTEMPTS:
                raise _status_error(status, endpoint, fail, attempt)
            waker.waiting.wait(min(delay or 0.5 * attempt, MAX_RETRY_WAIT_S))
        raise AssertionError("unreachable")
    except BaseException:
        waker.close()
        if spare is not None:
            spare.close()
        raise


def _attempt(
    endpoint: RemoteEndpoint,
    api_key: str | None,
    target: str,
    data: bytes | None,
    cancel: CancelToken,
    waker: _Waker,
    fail: ErrorFactory,
    spare: Spare | None = None,
) -> Response | tuple[int, float | None]:
    """One try: the response, or (status or 0, seconds to wait) when worth another."""
    started = time.perf_counter()
    conn = _PinnedConnection(endpoint, endpoint.timeout_s)
    try:
        opened = spare.take(cancel) if spare is not None else None
        if opened is None:
            conn.connect()
        else:
            conn = opened
        waker.watch(conn.sock)
        connected = time.perf_counter()
        method = "GET" if data is None else "POST"
        conn.request(method, target, body=data, headers=_headers(api_key))
        raw = conn.getresponse()
    except TlsRefused as exc:
        conn.close()
        raise fail("remote.tls_refused", url=endpoint.base_url, details=str(exc)) from None
    except TimeoutError as exc:
        conn.close()
        raise fail("remote.timeout", url=endpoint.base_url, seconds=endpoint.timeout_s) from exc
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        if cancel.cancelled:
            raise Cancelled() from exc
        if isinstance(exc, (ConnectionRefusedError, http.client.RemoteDisconnected)):
            return 0, None
        raise fail("remote.unreachable", url=endpoint.base_url, reason=_reason(exc)) from exc
    headers_at = time.perf_counter()
    if raw.status == 200:
        return Response(
            conn, raw, 1, round((connected - started) * 1000, 2),
            round((headers_at - started) * 1000, 2), preconnected=opened is not None,
        )  # fmt: skip
    detail = _error_detail(raw)
    conn.close()
    if raw.status in RETRY_STATUSES:
        return raw.status, _retry_after(raw)
    raise fail("remote.http_error", url=endpoint.base_url, status=raw.status, detail=detail or "-")


def _status_error(status: int, endpoint: RemoteEndpoint, fail: ErrorFactory, n: int) -> AppError:
    if status == 0:
        return fail("remote.unreachable_after", url=endpoint.base_url, attempts=n)
    if status == 429:
        return fail("remote.busy", url=endpoint.base_url, attempts=n)
    return fail("remote.server_error", url=endpoint.base_url, status=status, attempts=n)


def _retry_after(raw: http.client.HTTPResponse) -> float | None:
    value = raw.getheader("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _error_detail(raw: http.client.HTTPResponse) -> str:
    """The server's own one-line reason (OpenAI's error.message), shortened."""
    try:
        body = raw.read(4096)
        message = json.loads(body).get("error", {}).get("message", "")
    except Exception:
        return ""
    return " ".join(str(message).split())[:160]


def _reason(exc: BaseException) -> str:
    return (getattr(exc, "strerror", None) or type(exc).__name__)[:120]
