"""Fakes for fast unit tests. Injected explicitly; never selectable at run time."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop.core.chat_models import ChatMessage, GgufInfo, LoadSettings, SamplingParams
from desktop.core.errors import KeyringLocked, ModelInvalid, ModelNotFound
from desktop.core.tasks import CancelToken


@dataclass(frozen=True, slots=True)
class MemorySource:
    """A DocumentSource held in memory (a file to ingest, without a file)."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def read(self) -> bytes:
        return self.data


class MemoryKeyStore:
    """An in-memory KeyStore. ``locked = True`` makes every call raise KeyringLocked."""

    def __init__(self) -> None:
        self.items: dict[str, bytes] = {}
        self.locked = False

    def backend_name(self) -> str:
        return "memory (tests only)"

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("the test keyring is locked: unlock it and try again")

    def get_secret(self, item: str) -> bytes | None:
        self._check()
        return self.items.get(item)

    def set_secret(self, item: str, value: bytes) -> None:
        self._check()
        self.items[item] = bytes(value)

    def delete_secret(self, item: str) -> None:
        self._check()
        self.items.pop(item, None)


class FixedClock:
    """A clock that starts at a fixed moment and advances only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


# ---------------------------------------------------------------- chat models


class FakeInspector:
    """Accepts any file starting with b"GGUF"; hashes for real."""

    def inspect(self, path: str) -> GgufInfo:
        try:
            with open(path, "rb") as fh:
                magic = fh.read(4)
        except FileNotFoundError as exc:
            raise ModelNotFound(f"no such file: {path}") from exc
        if magic != b"GGUF":
            raise ModelInvalid(f"{path} is not a GGUF file")
        return GgufInfo(gguf_version=3, architecture="fake", context_length=2048)

    def sha256(self, path: str, cancel: CancelToken | None = None) -> str:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()


class FakeGeneration:
    def __init__(
        self,
        pieces: list[str],
        cancel: CancelToken,
        max_tokens: int,
        on_piece: Callable[[int], None] | None,
    ) -> None:
        self._pieces, self._cancel, self._max = pieces, cancel, max_tokens
        self._on_piece = on_piece
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.stop_reason = "stop"
        self.seed = 0

    def __iter__(self) -> Iterator[str]:
        for i, piece in enumerate(self._pieces):
            if self._cancel.cancelled:
                self.stop_reason = "cancelled"
                return
            if i >= self._max:
                self.stop_reason = "length"
                return
            self.completion_tokens += 1
            if self._on_piece is not None:
                self._on_piece(i)
            yield piece


class FakeChatModel:
    """Queued replies (one list of pieces per turn); records every prompt it renders.

    Tokens are whitespace-separated words, so context tests can reason in words.
    """

    def __init__(self, replies: list[list[str]] | None = None, n_ctx: int = 2048) -> None:
        self.replies = list(replies or [])
        self.n_ctx = n_ctx
        self.prompts: list[str] = []
        self.loads: list[tuple[str, LoadSettings]] = []
        self.on_piece: Callable[[int], None] | None = None
        self._sha: str | None = None

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        self.loads.append((path, settings))
        self._sha = sha256

    def loaded_sha256(self) -> str | None:
        return self._sha

    def context_length(self) -> int:
        return self.n_ctx

    def render(self, messages: list[ChatMessage]) -> str:
        return "\n".join(f"<{m.role}> {m.content}" for m in messages) + "\n<assistant>"

    def count_tokens(self, prompt: str) -> int:
        return len(prompt.split())

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> FakeGeneration:
        self.prompts.append(prompt)
        pieces = self.replies.pop(0) if self.replies else ["ok"]
        gen = FakeGeneration(pieces, cancel, params.max_tokens, self.on_piece)
        gen.prompt_tokens = self.count_tokens(prompt)
        return gen

    def gpu_offload_supported(self) -> bool:
        return False


class ExtractingChatModel(FakeChatModel):
    """A chat model that answers an exhaustive batch (services/exhaustive.py) as a
    perfect reader would: every match of ``pattern`` in each numbered passage of the
    prompt, one per line, as ``- item [n]``; ``NONE`` when there is none."""

    def __init__(self, pattern: str, n_ctx: int = 2048) -> None:
        super().__init__(n_ctx=n_ctx)
        self.pattern = re.compile(pattern)

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> FakeGeneration:
        passages = re.split(r"^\[(\d+)\] \(", prompt.split("<user>", maxsplit=1)[0], flags=re.M)
        lines = [
            f"- {item} [{marker}]\n"
            for marker, text in zip(passages[1::2], passages[2::2], strict=True)
            for item in self.pattern.findall(text)
        ]
        self.replies.insert(0, lines or ["NONE"])
        return super().generate(prompt, params, cancel, stop)
