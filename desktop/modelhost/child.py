"""The model host: the child process that runs llama.cpp, torch, OCR and every model.

Started by :mod:`desktop.modelhost.client` as ``kura --model-host PARENT_PID`` (or
``python -m desktop.modelhost PARENT_PID``). Standard input and output are the wire
(:mod:`desktop.modelhost.wire`); anything a runtime prints goes to standard error, which
the parent keeps in memory for the error it shows when this process dies.

It gets model paths and the text to process, never a key, the keyring or the workspace,
and confines itself before loading anything (:mod:`desktop.modelhost.confine`). A reader
thread takes frames off the wire: ``cancel`` sets the token of the running request at
once (so a cancelled answer stops within one token), end of input means Kura is gone and
the host exits. Requests run one at a time on the main thread.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

from desktop.core.chat_models import ChatMessage, GgufInfo, LoadSettings, SamplingParams
from desktop.core.errors import AppError, Cancelled, GenerationFailed, InputError
from desktop.core.tasks import CancelToken
from desktop.modelhost import runtime
from desktop.modelhost.confine import confine
from desktop.modelhost.wire import VERSION, FrameWriter, WireClosed, read_frame
from desktop.modelhost.wire_errors import encode_error

Req = dict[str, Any]
Reply = tuple[dict[str, Any], bytes]
EMBED_BATCH = 32  # texts per forward pass of the embedding model
LOAD_PROGRESS_STEP = 0.01  # a load reports each percent, not each of its callbacks
Handler = Callable[[Req, bytes, CancelToken], "Reply | None"]


class Host:
    """The models this process holds, and one handler per request kind."""

    def __init__(
        self, out: FrameWriter, confinement: dict[str, str], tokens: dict[Any, CancelToken]
    ) -> None:
        self.out = out
        self.confinement = confinement
        self.tokens = tokens  # request id -> its token (the reader thread cancels them)
        self._chat: Any = None
        self._embedders: dict[str, Any] = {}
        self._rerankers: dict[str, Any] = {}
        self._ocr: Any = None
        self._pii: Any = None
        self._generations: dict[int, tuple[Any, CancelToken]] = {}
        self.handlers: dict[str, Handler] = {
            "info": self._info,
            "warm": self._warm,
            "chat.load": self._chat_load,
            "chat.unload": self._chat_unload,
            "chat.gpu_offload_supported": lambda r, p, c: (
                {"value": runtime.gpu_offload_supported()},
                b"",
            ),
            "chat.context_length": lambda r, p, c: (
                {"value": self._loaded_chat().context_length()},
                b"",
            ),
            "chat.render": self._chat_render,
            "chat.count_tokens": lambda r, p, c: (
                {"value": self._loaded_chat().count_tokens(str(r["prompt"]))},
                b"",
            ),
            "chat.generate": self._chat_generate,
            "chat.stream": self._chat_stream,
            "embed.describe": self._embed_describe,
            "embed.encode": self._embed_encode,
            "rerank.scores": self._rerank_scores,
            "ocr.image": lambda r, p, c: ({"pages": self._tesseract().image_pages(p, c)}, b""),
            "ocr.pdf": lambda r, p, c: (
                {"pages": self._tesseract().pdf_pages(p, [int(n) for n in r["pages"]], c)},
                b"",
            ),
            "pii.detect": self._pii_detect,
        }

    # ------------------------------------------------------------------ general

    def _info(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        details: dict[str, Any] = {"pid": os.getpid(), "confinement": self.confinement}
        if req.get("llama"):
            details["llama"] = runtime.llama_report()
        details["rss_bytes"] = runtime.resident_bytes()
        return details, b""

    def _warm(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        for name in req.get("runtimes", ()):
            runtime.import_runtime(str(name))
        return {}, b""

    # ------------------------------------------------------------------ chat

    def _chat_model(self) -> Any:
        if self._chat is None:
            self._chat = runtime.chat_model()
        return self._chat

    def _loaded_chat(self) -> Any:
        chat = self._chat_model()
        chat.context_length()  # ModelNotFound when nothing is loaded
        return chat

    def _chat_load(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        self._chat_model().load(
            str(req["path"]),
            str(req["sha256"]),
            LoadSettings.from_dict(req["settings"]),
            GgufInfo.from_dict(req["info"]),
            self._progress_frames(req.get("id")),
        )
        offloaded = self._chat.offloaded_layers()
        return {"offloaded_layers": list(offloaded) if offloaded else None}, b""

    def _progress_frames(self, rid: Any) -> Callable[[float], bool]:
        """Load progress as ``{"id", "progress"}`` frames, one per LOAD_PROGRESS_STEP
        (and the last); False (abort the load) once Kura is gone."""
        last = [-1.0]

        def report(fraction: float) -> bool:
            if fraction - last[0] < LOAD_PROGRESS_STEP and fraction < 1.0:
                return True
            last[0] = fraction
            try:
                self.out.send({"id": rid, "progress": round(min(max(fraction, 0.0), 1.0), 3)})
            except WireClosed:
                return False
            return True

        return report

    def _chat_unload(self, _r: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        if self._chat is not None:
            self._chat.close()
        self._generations.clear()
        return {}, b""

    def _chat_render(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        messages = [ChatMessage(str(m["role"]), str(m["content"])) for m in req["messages"]]
        return {"value": self._loaded_chat().render(messages)}, b""

    def _chat_generate(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        token = CancelToken()  # the answer's own: the stream request that reads it cancels it
        generation = self._loaded_chat().generate(
            str(req["prompt"]),
            SamplingParams.from_dict(req["params"]),
            token,
            tuple(str(s) for s in req.get("stop", ())),
        )
        self._generations.clear()  # one answer at a time; an unread one is dropped
        self._generations[int(req["id"])] = (generation, token)
        return {"prompt_tokens": generation.prompt_tokens, "seed": generation.seed}, b""

    def _chat_stream(self, req: Req, _p: bytes, cancel: CancelToken) -> None:
        found = self._generations.pop(int(req["generation"]), None)
        if found is None:
            raise GenerationFailed("models.host_answer_gone")
        generation, token = found
        rid = req["id"]
        self.tokens[rid] = token  # from now on a cancel of this request reaches the answer
        if cancel.cancelled:  # ... and one that came before it still counts
            token.cancel()
        for piece in generation:
            self.out.send({"id": rid, "piece": piece})
        self.out.send(
            {
                "id": rid,
                "done": True,
                "completion_tokens": generation.completion_tokens,
                "stop_reason": generation.stop_reason,
            }
        )

    # ------------------------------------------------------------------ embeddings

    def _embedder(self, folder: str) -> Any:
        if folder not in self._embedders:
            self._embedders[folder] = runtime.embedder(folder, EMBED_BATCH)
        return self._embedders[folder]

    def _embed_describe(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        embedder = self._embedder(str(req["folder"]))
        return {"dimension": embedder.dimension(), "max_tokens": embedder.max_tokens()}, b""

    def _embed_encode(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        texts = req["texts"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise InputError("models.embed_needs_strings")
        vectors = self._embedder(str(req["folder"])).embed(texts)
        return {"shape": list(vectors.shape), "dtype": "float32"}, vectors.tobytes()

    def _rerank_scores(self, req: dict[str, Any], _p: bytes, _c: CancelToken) -> Reply:
        folder = str(req["folder"])
        if folder not in self._rerankers:
            self._rerankers[folder] = runtime.reranker(folder)
        scores = self._rerankers[folder].scores(str(req["query"]), list(req["texts"]))
        return {"scores": [float(s) for s in scores]}, b""

    # ------------------------------------------------------------------ OCR

    def _tesseract(self) -> Any:
        """Tesseract (tesserocr), images and rendered PDF pages in memory only."""
        if self._ocr is None:
            from desktop.retrieval.formats.ocr import TesseractOcr

            self._ocr = TesseractOcr()
        return self._ocr

    # ------------------------------------------------------------------ personal data

    def _pii_detect(self, req: dict[str, Any], _p: bytes, cancel: CancelToken) -> Reply:
        """Personal data in each text (Presidio + GiNZA, loaded on first use, kept)."""
        texts = req["texts"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise InputError("models.pii_needs_strings")
        if self._pii is None:
            self._pii = runtime.pii_detector()
        found = self._pii.detect(texts, cancel)
        return {"entities": [[runtime.pii_entity_dict(e) for e in each] for each in found]}, b""

    # ------------------------------------------------------------------ dispatch

    def handle(self, req: dict[str, Any], payload: bytes, cancel: CancelToken) -> None:
        rid = req.get("id")
        handler = self.handlers.get(str(req.get("op")))
        try:
            if handler is None:
                raise InputError("models.host_unknown_request", op=str(req.get("op")))
            result = handler(req, payload, cancel)
        except WireClosed:
            raise
        except AppError as exc:
            self.out.send({"id": rid, "error": encode_error(exc)})
            return
        except Exception as exc:  # a runtime's own exception: one request fails
            wrapped = GenerationFailed(
                "models.runtime_failed",
                kind=type(exc).__name__,
                reason=" ".join(str(exc).split())[:200],
                details=repr(exc),
            )
            self.out.send({"id": rid, "error": encode_error(wrapped)})
            return
        if result is not None:
            header, body = result
            self.out.send({"id": rid, "ok": True, **header}, body)


def _open_wire() -> tuple[BinaryIO, BinaryIO]:
    """Take stdin/stdout for the wire and point fd 0 at /dev/null and fd 1 at stderr, so
    a runtime that prints cannot corrupt a frame."""
    wire_in = os.fdopen(os.dup(0), "rb", buffering=0)
    wire_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return wire_in, wire_out


def _reader(
    wire_in: BinaryIO,
    work: queue.Queue[tuple[dict[str, Any], bytes]],
    tokens: dict[Any, CancelToken],
) -> None:
    """Frames off the wire: cancels act at once; end of input ends the process."""
    try:
        while True:
            header, payload = read_frame(wire_in)
            if header.get("op") == "cancel":
                token = tokens.get(header.get("target"))
                if token is not None:
                    token.cancel()
            elif header.get("op") == "exit":
                break
            else:
                tokens[header.get("id")] = CancelToken()
                work.put((header, payload))
    except WireClosed:
        pass
    os._exit(0)  # Kura closed the pipe or asked: no model state is worth saving


def main(argv: list[str]) -> int:
    """Run the host until the parent closes the pipe."""
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: kura --model-host PARENT_PID (started by Kura itself)", file=sys.stderr)
        return 2
    wire_in, wire_out = _open_wire()
    runtime.guard_process()
    report = confine(int(argv[0]))
    out = FrameWriter(wire_out)
    work: queue.Queue[tuple[dict[str, Any], bytes]] = queue.Queue()
    tokens: dict[Any, CancelToken] = {}
    host = Host(out, report, tokens)
    out.send({"op": "hello", "v": VERSION, "pid": os.getpid(), "confinement": report})
    threading.Thread(target=_reader, args=(wire_in, work, tokens), daemon=True).start()
    while True:
        req, payload = work.get()
        token = tokens.get(req.get("id")) or CancelToken()
        try:
            host.handle(req, payload, token)
        except WireClosed:
            os._exit(0)
        except Cancelled:
            out.send({"id": req.get("id"), "error": encode_error(Cancelled())})
        finally:
            tokens.pop(req.get("id"), None)
