"""``ChatModel`` and ``Embedder`` over an OpenAI-compatible server.

The port renders a prompt and generates from it; here the "prompt" is the canonical JSON
of the chat messages (after pseudonymisation, which runs before the prompt is built), the
server applies its model's chat template. Token counts are estimated on this side
(:func:`desktop.core.remote.estimate_tokens`) and replaced by the server's own usage
after the answer. The trace of a turn records the endpoint, the model id the server
reports, the request's parameters, its usage and timings (``RemoteGeneration.remote``).
"""

from __future__ import annotations

import http.client
import json
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from desktop.core.chat_models import ChatMessage, GgufInfo, LoadSettings, SamplingParams, StopReason
from desktop.core.errors import Cancelled, EmbeddingFailed, GenerationFailed
from desktop.core.remote import RemoteEndpoint, estimate_tokens
from desktop.core.tasks import CancelToken
from desktop.remote.http import Response, Spare, request

KeyProvider = Callable[[RemoteEndpoint], str | None]
_FINISH = {"stop": StopReason.STOP, "length": StopReason.LENGTH, "eos": StopReason.STOP}


def messages_prompt(messages: Sequence[ChatMessage]) -> str:
    return json.dumps(
        [{"role": m.role, "content": m.content} for m in messages],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def request_params(params: SamplingParams, stop: tuple[str, ...], seed: int) -> dict[str, Any]:
    """The sampling fields of the request (recorded in the trace as sent)."""
    body: dict[str, Any] = {
        "temperature": params.temperature,
        "top_p": params.top_p,
        "top_k": params.top_k,
        "max_tokens": params.max_tokens,
        "seed": seed,
    }
    if params.repeat_penalty != 1.0:
        body["repeat_penalty"] = params.repeat_penalty
    if stop:
        body["stop"] = list(stop)
    return body


class RemoteGeneration:
    """A streamed answer from the server; counters and ``remote`` are final afterwards."""

    def __init__(
        self,
        endpoint: RemoteEndpoint,
        api_key: str | None,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        cancel: CancelToken,
        prompt_estimate: int,
        spare: Spare | None = None,
    ) -> None:
        self.prompt_tokens = prompt_estimate
        self._spare = spare
        self.completion_tokens = 0
        self.stop_reason: str = StopReason.STOP.value
        self.seed = int(params["seed"])
        self._endpoint, self._key, self._cancel = endpoint, api_key, cancel
        self._messages, self._params = messages, params
        self._started = False
        self.remote: dict[str, Any] = {
            "endpoint": endpoint.base_url,
            "model_requested": endpoint.model_id,
            "model_reported": None,
            "request": dict(params),
        }

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("a generation can be iterated only once")
        self._started = True
        return self._stream()

    def _stream(self) -> Iterator[str]:
        body = {
            "model": self._endpoint.model_id,
            "messages": self._messages,
            "stream": True,
            **self._params,
        }
        started = time.perf_counter()
        try:
            response, waker = request(
                self._endpoint, self._key, "/chat/completions", body, self._cancel,
                spare=self._spare,
            )  # fmt: skip
        except Cancelled:
            self.stop_reason = StopReason.CANCELLED.value
            return
        finally:
            self._spare = None
        self.remote |= {
            "attempts": response.attempts,
            "peer": list(response.connection.peer or ()),
            "preconnected": response.preconnected,
        }
        timings = {"connect_ms": response.connect_ms, "headers_ms": response.headers_ms}
        first: float | None = None
        try:
            for piece in self._events(response):
                if first is None:
                    first = time.perf_counter()
                yield piece
        finally:
            ended = time.perf_counter()
            waker.close()
            response.close()
            timings["ttft_ms"] = round(((first or ended) - started) * 1000, 2)
            timings["total_ms"] = round((ended - started) * 1000, 2)
            self.remote["timings"] = timings

    def _events(self, response: Response) -> Iterator[str]:
        done = False
        try:
            for line in response.lines():
                if self._cancel.cancelled:
                    break
                text = line.strip()
                if not text.startswith(b"data:"):
                    continue  # comments, event names, keep-alives
                data = text[5:].strip()
                if data == b"[DONE]":
                    done = True
                    break
                piece = self._chunk(data)
                if piece:
                    self.completion_tokens += 1
                    yield piece
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if not self._cancel.cancelled:
                if isinstance(exc, TimeoutError):
                    raise GenerationFailed(
                        "remote.stalled", url=self._endpoint.base_url,
                        seconds=self._endpoint.timeout_s,
                    ) from exc  # fmt: skip
                raise GenerationFailed(
                    "remote.stream_dropped", url=self._endpoint.base_url
                ) from exc
        if self._cancel.cancelled:
            self.stop_reason = StopReason.CANCELLED.value
        elif not done and "finish_reason" not in self.remote:
            raise GenerationFailed("remote.stream_dropped", url=self._endpoint.base_url)

    def _chunk(self, data: bytes) -> str:
        try:
            event = json.loads(data)
            if not isinstance(event, dict):
                raise TypeError("not an object")
            if "error" in event:
                message = str(event["error"].get("message", ""))[:160]
                raise GenerationFailed(
                    "remote.server_said", url=self._endpoint.base_url, detail=message
                )
            if event.get("model"):
                self.remote["model_reported"] = str(event["model"])
            usage = event.get("usage")
            if isinstance(usage, dict):
                self._usage(usage)
            choices = event.get("choices") or []
            if not choices:
                return ""
            choice = choices[0]
            finish = choice.get("finish_reason")
            if finish:
                self.remote["finish_reason"] = str(finish)
                self.stop_reason = _FINISH.get(str(finish), StopReason.STOP).value
            content = (choice.get("delta") or {}).get("content")
            return content if isinstance(content, str) else ""
        except (ValueError, TypeError, AttributeError) as exc:
            raise GenerationFailed("remote.malformed", url=self._endpoint.base_url) from exc

    def _usage(self, usage: dict[str, Any]) -> None:
        kept = {k: int(v) for k, v in usage.items() if isinstance(v, int)}
        self.remote["usage"] = kept
        self.prompt_tokens = kept.get("prompt_tokens", self.prompt_tokens)
        self.completion_tokens = kept.get("completion_tokens", self.completion_tokens)


class RemoteChatModel:
    """``ChatModel`` of one registered endpoint. "Loading" it opens a spare connection
    in the background (a chat turn loads its model before it commits the pending turn,
    so the handshakes overlap that commit); the next generation sends on it."""

    def __init__(self, endpoint: RemoteEndpoint, api_key: KeyProvider, sha256: str) -> None:
        self._endpoint = endpoint
        self._key = api_key
        self._sha256 = sha256
        self._n_ctx = 4096
        self._spare: Spare | None = None

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        self._n_ctx = settings.n_ctx  # the server's context, as registered or `models set`
        if self._spare is None or self._spare.stale():
            self.close()
            self._spare = Spare(self._endpoint)

    def close(self) -> None:
        """Close the spare connection, if one is open."""
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.close()

    def loaded_sha256(self) -> str | None:
        return self._sha256

    def context_length(self) -> int:
        return self._n_ctx

    def render(self, messages: list[ChatMessage]) -> str:
        return messages_prompt(messages)

    def count_tokens(self, prompt: str) -> int:
        return estimate_tokens(prompt)

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> RemoteGeneration:
        messages = json.loads(prompt)
        seed = params.seed if params.seed is not None else secrets.randbelow(2**31)
        sent = request_params(params, stop, seed)
        key = self._key(self._endpoint)
        spare, self._spare = self._spare, None
        return RemoteGeneration(
            self._endpoint, key, messages, sent, cancel, self.count_tokens(prompt), spare
        )

    def gpu_offload_supported(self) -> bool:
        return False


class RemoteEmbedder:
    """``Embedder`` over ``/v1/embeddings`` (vectors L2-normalised here)."""

    BATCH = 64

    def __init__(self, endpoint: RemoteEndpoint, api_key: KeyProvider) -> None:
        self._endpoint = endpoint
        self._key = api_key
        self._dimension: int | None = None

    def model_id(self) -> str:
        return f"remote:{self._endpoint.base_url}#{self._endpoint.model_id}"

    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self.embed(["dimension"]).shape[1])
        return self._dimension

    def languages(self) -> tuple[str, ...] | None:
        return None

    def embed(self, texts: Sequence[str]) -> Any:
        import numpy as np

        rows: list[list[float]] = []
        for start in range(0, len(texts), self.BATCH):
            rows.extend(self._batch(list(texts[start : start + self.BATCH])))
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms

    def _batch(self, texts: list[str]) -> list[list[float]]:
        body = {"model": self._endpoint.model_id, "input": texts}
        url = self._endpoint.base_url
        response, waker = request(
            self._endpoint, self._key(self._endpoint), "/embeddings", body, CancelToken(),
            fail=EmbeddingFailed,
        )  # fmt: skip
        try:
            payload = json.loads(response.raw.read())
            items = sorted(payload["data"], key=lambda d: int(d.get("index", 0)))
            rows = [[float(x) for x in item["embedding"]] for item in items]
        except (OSError, http.client.HTTPException) as exc:
            raise EmbeddingFailed("remote.stream_dropped", url=url) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingFailed("remote.malformed", url=url) from exc
        finally:
            waker.close()
            response.close()
        if len(rows) != len(texts) or len({len(r) for r in rows}) > 1:
            raise EmbeddingFailed("remote.malformed", url=url)
        return rows


class RoutingChatModel:
    """The workspace's ``ChatModel``: the local (model host) one, or a remote endpoint's
    when the model being loaded is a remote registration. One model is active at a time,
    as with a local GGUF; everything else goes to the active one."""

    def __init__(self, local: Any, remote_for: Callable[[str], RemoteChatModel | None]) -> None:
        self._local = local
        self._remote_for = remote_for
        self._active: Any = local

    def __getattr__(self, name: str) -> Any:
        return getattr(self._local, name)  # the host's extras (watch_load, host, close)

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        from desktop.core.errors import ModelNotFound
        from desktop.core.remote import REMOTE_ARCHITECTURE

        active = self._active if isinstance(self._active, RemoteChatModel) else None
        if info.architecture == REMOTE_ARCHITECTURE:
            same = active is not None and active.loaded_sha256() == sha256
            remote = active if same else self._remote_for(sha256)
            if remote is None:
                raise ModelNotFound("models.app_model_gone")
            if remote is not active and active is not None:
                active.close()
            remote.load(path, sha256, settings, info)
            self._active = remote
            return
        self._local.load(path, sha256, settings, info)
        if active is not None:
            active.close()
        self._active = self._local

    def release_remote(self) -> None:
        """Close the active remote model's spare connection (the workspace closes); the
        next load of it opens a new one."""
        if isinstance(self._active, RemoteChatModel):
            self._active.close()

    def loaded_sha256(self) -> str | None:
        return self._active.loaded_sha256()  # type: ignore[no-any-return]

    def context_length(self) -> int:
        return int(self._active.context_length())

    def render(self, messages: list[ChatMessage]) -> str:
        return str(self._active.render(messages))

    def count_tokens(self, prompt: str) -> int:
        return int(self._active.count_tokens(prompt))

    def generate(
        self, prompt: str, params: SamplingParams, cancel: CancelToken, stop: tuple[str, ...] = ()
    ) -> Any:
        return self._active.generate(prompt, params, cancel, stop)

    def gpu_offload_supported(self) -> bool:
        return bool(self._local.gpu_offload_supported())
