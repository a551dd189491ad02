"""The connection test of an endpoint before it is registered: ``GET /models`` through
the same pinned, TLS-verified connection a chat turn uses, with the same bounded tries.
Any failure is one ``RemoteCheckFailed`` line whose reason is the adapter's own."""

from __future__ import annotations

import http.client
import json
import time

from desktop.core.errors import GenerationFailed, RemoteCheckFailed
from desktop.core.remote import EndpointCheck, RemoteEndpoint
from desktop.core.tasks import CancelToken
from desktop.remote.http import request

MAX_BODY = 1 << 20


class HttpProbe:
    """``EndpointProbe`` over :mod:`desktop.remote.http`."""

    def check(self, endpoint: RemoteEndpoint, api_key: str | None) -> EndpointCheck:
        try:
            return self._check(endpoint, api_key)
        except GenerationFailed as exc:
            url = endpoint.base_url
            raise RemoteCheckFailed("remote.check_failed", url=url, reason=exc) from exc

    def _check(self, endpoint: RemoteEndpoint, api_key: str | None) -> EndpointCheck:
        url = endpoint.base_url
        started = time.perf_counter()
        response, waker = request(endpoint, api_key, "/models", None, CancelToken())
        try:
            payload = json.loads(response.raw.read(MAX_BODY))
            models = tuple(str(item["id"]) for item in payload["data"])
        except (OSError, http.client.HTTPException) as exc:
            raise GenerationFailed("remote.stream_dropped", url=url) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise GenerationFailed("remote.malformed", url=url) from exc
        finally:
            waker.close()
            response.close()
        return EndpointCheck(models, round((time.perf_counter() - started) * 1000, 1))
