"""``kura doctor``: what this installation and workspace look like, and what is wrong."""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.app import Layout, default_key_store, open_workspace
from desktop.core.errors import AppError
from desktop.core.ports import KeyStore
from desktop.storage.db import driver_info

LIBRARIES = (
    "sqlcipher3-binary",
    "keyring",
    "SecretStorage",
    "cryptography",
    "argon2-cffi",
    "llama-cpp-python",
    "sentence-transformers",
    "torch",
    "faiss-cpu",
    "PySide6-Essentials",
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, **self.data}


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for dist in LIBRARIES:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = None
    return found


def _check_sqlcipher() -> Check:
    try:
        info = driver_info()
    except AppError as exc:
        return Check("sqlcipher", False, exc.message)
    ok = info["cipher_version"].startswith("4.")
    detail = f"SQLCipher {info['cipher_version']} on SQLite {info['sqlite_version']}"
    return Check("sqlcipher", ok, detail if ok else f"{detail}: SQLCipher 4 is required", info)


def _check_keyring(factory: Callable[[], KeyStore]) -> tuple[Check, KeyStore | None]:
    try:
        store = factory()
        name = store.backend_name()
    except AppError as exc:
        return Check("keyring", False, exc.message, {"allowed": False}), None
    return Check("keyring", True, f"{name} (allowed)", {"backend": name, "allowed": True}), store


def _check_workspace(data_dir: Path, key_store: KeyStore | None) -> Check:
    layout = Layout(data_dir)
    base: dict[str, Any] = {"data_dir": str(data_dir)}
    if not layout.exists():
        return Check(
            "workspace", True, f"no workspace yet at {data_dir}", {**base, "state": "absent"}
        )
    if key_store is None:
        return Check(
            "workspace",
            False,
            "cannot be opened without an allowed keyring",
            {**base, "state": "locked"},
        )
    try:
        with open_workspace(data_dir, key_store=key_store) as ws:
            facts = ws.workspace.summary()
            recipe = ws.store.recipe()
            problems = ws.store.integrity_check()
    except AppError as exc:
        return Check("workspace", False, exc.message, {**base, "state": "unavailable"})
    chain_ok = bool(facts["audit_chain"]["ok"])
    unseen = bool(facts["recovery_key_unseen"])
    ok = chain_ok and not problems and not unseen
    detail = (
        f"schema v{facts['schema_version']}, {facts['users']} users, "
        f"{facts['audit_events']} audit events, chain "
        f"{'verifies' if chain_ok else 'BROKEN: ' + str(facts['audit_chain']['error'])}, "
        f"integrity {'ok' if not problems else '; '.join(problems[:3])}"
    )
    if unseen:
        detail += (
            "; a key rotation was interrupted and its recovery key was never shown: "
            "run `kura rekey` to get a recovery key you hold"
        )
    data = {
        **base,
        "state": "ok" if ok else "damaged",
        **facts,
        "recipe": recipe,
        "integrity_problems": problems,
    }
    return Check("workspace", ok, detail, data)


def _runtime_detail(llama: dict[str, Any]) -> tuple[bool, str]:
    build = llama.get("build")
    features = ", ".join(f"{name}: {' '.join(on)}" for name, on in llama["features"].items())
    seen = "; ".join(
        f"{d['type']} {d['description'] or d['name']}"
        + (f" ({d['memory_total'] / 2**30:.1f} GiB)" if d["type"] != "cpu" else "")
        for d in llama["devices"]
    )
    offload = "layers offload to the GPU" if llama["gpu_offload"] else "CPU only"
    if not isinstance(build, dict):
        return False, (
            f"llama-cpp-python {llama['version']} was not built by Kura's build step (no build "
            f"record; features in use {features}): reinstall with `make` or the Kura package"
        )
    return True, (
        f"llama.cpp {build['backend']} build, CPU baseline {build['cpu_baseline']}; "
        f"in use {features}; devices: {seen or 'none'}; {offload}"
    )


def _check_model_host() -> list[Check]:
    """Start a model host, ask how its runtime was built and what confines it."""
    from desktop.modelhost.client import HostProcess

    host = HostProcess("doctor")
    try:
        info, _ = host.request("info", llama=True)
    except AppError as exc:
        return [Check("model_host", False, exc.message, {"log": exc.details})]
    finally:
        host.close()
    confinement = info.get("confinement", {})
    missing = [name for name, how in confinement.items() if str(how).startswith("unavailable")]
    detail = "; ".join(f"{name}: {how}" for name, how in confinement.items())
    host_check = Check(
        "model_host",
        True,
        f"started in {host.start_seconds:.2f} s; {detail}",
        {"confinement": confinement, "unavailable": missing, "start_seconds": host.start_seconds},
    )
    llama = info["llama"]
    ok, runtime_detail = _runtime_detail(llama)
    runtime_check = Check(
        "inference_runtime",
        ok,
        runtime_detail,
        {
            "build": llama.get("build"),
            "features": llama["features"],
            "devices": llama["devices"],
            "gpu_offload": llama["gpu_offload"],
            "system_info": llama["system_info"],
        },
    )
    return [host_check, runtime_check]


def run_doctor(
    data_dir: Path, key_store_factory: Callable[[], KeyStore] = default_key_store
) -> dict[str, Any]:
    """Every check, in the order a person would fix them."""
    keyring_check, key_store = _check_keyring(key_store_factory)
    checks = [
        _check_sqlcipher(),
        keyring_check,
        _check_workspace(data_dir, key_store),
        *_check_model_host(),
    ]
    return {
        "ok": all(c.ok for c in checks),
        "kura_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable_frozen": bool(getattr(sys, "frozen", False)),
        "libraries": _versions(),
        "checks": [c.as_dict() for c in checks],
    }
