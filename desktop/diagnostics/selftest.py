"""``kura --self-test``: does this installation work, end to end, on this machine?

Every step runs the real components: it imports every Kura module and the heavy
runtimes, resolves the real OS keyring, creates a throwaway workspace in a fresh
temporary folder, ingests two tiny in-memory documents (English and Japanese) and
searches them, finds the personal data in a sentence, chats with a model when one
is given, exports a signed audit bundle and
verifies it, and checks that nothing touched the network. The workspace, its keyring
items and the temporary folder are removed whatever happens.

Nothing here reads Kura's own source files, so the check works the same in a frozen
build. Qt-free: the GUI modules are imported (to prove they load) but no application
object is made.
"""

from __future__ import annotations

import contextlib
import platform
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from desktop import __version__, app
from desktop.core.errors import EXIT_CHECK_FAILED, EXIT_OK, AppError
from desktop.core.keyring_items import all_items
from desktop.core.models import Actor
from desktop.core.ports import KeyStore
from desktop.diagnostics import (
    bundle,
    chat,
    keyring,
    knowledge,
    libraries,
    model_host,
    network,
    personal_data,
)
from desktop.diagnostics import store as store_checks
from desktop.diagnostics.common import Skipped, StepFailed, StepOutcome, one_line

_T = TypeVar("_T")

OWNER = "selftest"
STEPS = (
    "imports",
    "model host",
    "keyring",
    "workspace",
    "ingest+search",
    "personal data",
    "chat",
    "bundle",
    "network",
)
#: The signing keys a workspace that never opened may hold (init makes #1).
_UNOPENED_SIGNING_KEYS = (1, 2, 3)


@dataclass
class StepResult:
    step: str
    ok: bool
    detail: str
    seconds: float
    skipped: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "step": self.step,
            "ok": self.ok,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
            "skipped": self.skipped,
        }
        if self.data:
            out["data"] = self.data
        return out

    def line(self) -> str:
        """The one line printed for this step."""
        if self.skipped:
            return f"skip {self.step} ({self.detail})"
        if self.ok:
            return f"ok   {self.step} ({self.detail}, {self.seconds:.1f}s)"
        return f"FAIL {self.step}: {self.detail}"


@dataclass
class SelfTestReport:
    steps: list[StepResult]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_CHECK_FAILED

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "kura_version": __version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "frozen": bool(getattr(sys, "frozen", False)),
            "seconds": round(self.seconds, 3),
            "steps": [s.as_dict() for s in self.steps],
        }

    def summary(self) -> str:
        failed = [s.step for s in self.steps if not s.ok]
        if failed:
            return f"self-test FAILED: {', '.join(failed)} ({self.seconds:.1f}s)"
        return f"self-test passed ({self.seconds:.1f}s)"


@dataclass
class _State:
    """What the steps make, and what cleanup must undo."""

    tmp: Path | None = None
    key_store: KeyStore | None = None
    workspace_id: str | None = None
    ws: app.Workspace | None = None
    engines: app.Engines | None = None
    owner: Actor | None = None
    keyring_items: list[str] = field(default_factory=list)
    kb_id: int | None = None


class _Run:
    """The steps in order; each reads what an earlier one made from :class:`_State`."""

    def __init__(self, model: Path | None, embedder: Path | None) -> None:
        self.model = model
        self.embedder = embedder
        self.s = _State()

    def keyring(self) -> StepOutcome:
        key_store = app.default_key_store()
        outcome = keyring.probe(key_store)
        self.s.key_store = key_store
        return outcome

    def workspace(self) -> StepOutcome:
        key_store = self._need(self.s.key_store, "keyring")
        self.s.tmp = Path(tempfile.mkdtemp(prefix="kura-selftest-"))
        data_dir = self.s.tmp / "workspace"
        password = secrets.token_urlsafe(24)
        made = app.init_workspace(data_dir, OWNER, password, key_store=key_store)
        self.s.workspace_id = made.workspace_id
        self.s.engines = app.Engines.local()
        ws = app.open_workspace(data_dir, key_store=key_store, engines=self.s.engines)
        self.s.ws = ws
        self.s.owner = ws.accounts.authenticate(OWNER, password)
        self.s.keyring_items = ws.diagnostics.keyring_items()
        detail, data = store_checks.open_workspace_step(ws)
        return detail, {"workspace_id": made.workspace_id, **data}

    def ingest_search(self) -> StepOutcome:
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        self.s.kb_id, outcome = knowledge.ingest_search_step(ws, owner, self.embedder)
        return outcome

    def personal_data(self) -> StepOutcome:
        return personal_data.personal_data_step(self._need(self.s.ws, "workspace"))

    def chat(self) -> StepOutcome:
        if self.model is None:
            raise Skipped("no --model given")
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        kb_id = self._need(self.s.kb_id, "ingest+search")
        return chat.chat_step(ws, owner, self.model, kb_id)

    def bundle(self) -> StepOutcome:
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        return bundle.bundle_step(ws, owner, self._need(self.s.tmp, "workspace"))

    def cleanup(self) -> StepOutcome:
        """Close everything, delete the keyring items, remove the folder: every part is
        attempted even when an earlier one fails."""
        s = self.s
        problems: list[str] = []
        if s.engines is not None:
            with _noting(problems, "stopping the model hosts"):
                s.engines.close()
        if s.ws is not None:
            with _noting(problems, "closing the workspace"):
                s.ws.close()
        items: list[str] = []
        if s.workspace_id is not None and s.key_store is not None and s.tmp is not None:
            key_store, wid = s.key_store, s.workspace_id
            items = s.keyring_items or all_items(wid, _UNOPENED_SIGNING_KEYS)
            with _noting(problems, "forgetting the workspace keys"):
                app.forget_workspace_keys(s.tmp / "workspace", key_store=key_store)
            for item in items:
                with _noting(problems, f"deleting keyring item {item}"):
                    key_store.delete_secret(item)
            with _noting(problems, "checking the keyring"):
                left = [item for item in items if key_store.get_secret(item) is not None]
                if left:
                    problems.append(f"keyring items remain: {', '.join(left)}")
        if s.tmp is not None:
            shutil.rmtree(s.tmp, ignore_errors=True)
            if s.tmp.exists():
                problems.append(f"cannot remove {s.tmp}: delete it by hand")
        if problems:
            raise StepFailed("; ".join(problems))
        if s.tmp is None:
            return "nothing was made", {}
        what = f"{len(items)} keyring items deleted, " if items else ""
        return f"{what}temporary folder removed", {}

    @staticmethod
    def _need(value: _T | None, step: str) -> _T:
        if value is None:
            raise StepFailed(f"not run: the {step} step failed")
        return value


@contextlib.contextmanager
def _noting(problems: list[str], what: str) -> Iterator[None]:
    try:
        yield
    except AppError as exc:
        problems.append(f"{what}: {one_line(exc.message, 160)}")
    except Exception as exc:
        problems.append(f"{what}: {type(exc).__name__}: {one_line(str(exc), 160)}")


def _timed(step: str, action: Callable[[], StepOutcome], debug: bool) -> StepResult:
    started = time.perf_counter()
    try:
        detail, data = action()
    except Skipped as exc:
        return StepResult(step, True, str(exc), time.perf_counter() - started, skipped=True)
    except StepFailed as exc:
        reason = str(exc)
    except AppError as exc:
        reason = exc.message
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        if debug:
            traceback.print_exc()
    else:
        return StepResult(step, True, detail, time.perf_counter() - started, data=data)
    return StepResult(step, False, one_line(reason), time.perf_counter() - started)


def run_self_test(
    *,
    model: Path | None = None,
    embedder: Path | None = None,
    on_step: Callable[[StepResult], None] | None = None,
    debug: bool = False,
) -> SelfTestReport:
    """Every step in order, then cleanup whatever happened; ``on_step`` sees each result
    as it is known."""
    app.bootstrap()
    network.SOCKETS.install()
    started = time.perf_counter()
    run = _Run(model, embedder)
    actions: dict[str, Callable[[], StepOutcome]] = {
        "imports": libraries.imports_step,
        "model host": model_host.host_step,
        "keyring": run.keyring,
        "workspace": run.workspace,
        "ingest+search": run.ingest_search,
        "personal data": run.personal_data,
        "chat": run.chat,
        "bundle": run.bundle,
        "network": network.network_step,
    }
    results: list[StepResult] = []

    def record(result: StepResult) -> None:
        results.append(result)
        if on_step is not None:
            on_step(result)

    try:
        for step in STEPS:
            record(_timed(step, actions[step], debug))
    finally:
        record(_timed("cleanup", run.cleanup, debug))
    return SelfTestReport(results, time.perf_counter() - started)
