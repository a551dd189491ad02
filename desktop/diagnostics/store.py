"""The encrypted store: the SQLCipher driver, the recipe in force, the file's integrity
and the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import app, installation
from desktop.core.errors import AppError, SecondFactorRequired
from desktop.core.messages import render
from desktop.core.ports import KeyStore
from desktop.core.services.remote_models import pairs_text
from desktop.diagnostics.checks import Check
from desktop.diagnostics.common import StepFailed, StepOutcome

_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"


def driver_check() -> Check:
    """Doctor: the bundled driver is SQLCipher 4."""
    try:
        info = installation.sqlcipher_driver()
    except AppError as exc:
        return Check("sqlcipher", False, exc.message)
    ok = info["cipher_version"].startswith("4.")
    detail = f"SQLCipher {info['cipher_version']} on SQLite {info['sqlite_version']}"
    return Check("sqlcipher", ok, detail if ok else f"{detail}: SQLCipher 4 is required", info)


def workspace_check(
    data_dir: Path,
    key_store: KeyStore | None,
    credentials: app.Credentials | None = None,
    code: Callable[[], str] | None = None,
) -> Check:
    """Doctor: the workspace at ``data_dir`` opens, its slot set is authentic, its chain
    verifies, its file is sound and no rotation left a recovery key nobody saw.

    In strict unlock mode nothing is opened without ``credentials``, and the check is not
    ok: the slot set is not checked (it says which command runs the rest). With
    ``credentials`` the user signs in as anywhere else (the throttle, and the one-time
    code that ``code`` asks for when the account has one) before anything is read."""
    layout = app.Layout(data_dir)
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
        strict = app.unlock_mode(data_dir, key_store=key_store) == "strict"
    except AppError as exc:
        return Check("workspace", False, exc.message, {**base, "state": "unavailable"})
    base["unlock_mode"] = "strict" if strict else "keyring"
    if strict and credentials is None:
        return Check(
            "workspace",
            False,
            render("workspace.slots_not_checked", {}),
            {**base, "state": "strict_locked", "slots": "not_checked"},
        )
    try:
        with app.open_workspace(data_dir, key_store=key_store, credentials=credentials) as ws:
            if credentials is not None:
                _sign_in(ws, credentials, code)
            leftover = ws.keys.leftover_items() if strict else []
            facts = ws.workspace.summary()
            recipe = ws.diagnostics.recipe()
            problems = ws.diagnostics.integrity_problems()
            egress = pairs_text(ws.remote_models.allowed_egress())
    except AppError as exc:
        return Check("workspace", False, exc.message, {**base, "state": "unavailable"})
    chain_ok = bool(facts["audit_chain"]["ok"])
    unseen = bool(facts["recovery_key_unseen"])
    ok = chain_ok and not problems and not unseen and not leftover
    detail = (
        f"{base['unlock_mode']} unlock, key slots authentic, "
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
    if leftover:
        detail += "; " + render("workspace.keyring_items_left", {"items": ", ".join(leftover)})
    # the network guard's allowlist: the registered remote models' pinned addresses
    detail += f"; network allowed only to {', '.join(egress)}" if egress else "; no network"
    data = {
        **base,
        "network_allowed": egress,
        "state": "ok" if ok else "damaged",
        **facts,
        "recipe": recipe,
        "integrity_problems": problems,
    }
    return Check("workspace", ok, detail, data)


def _sign_in(
    ws: app.Workspace, credentials: app.Credentials, code: Callable[[], str] | None
) -> None:
    try:
        ws.accounts.authenticate(*credentials)
    except SecondFactorRequired:
        if code is None:
            raise
        ws.accounts.authenticate(credentials[0], credentials[1], code())


def open_workspace_step(ws: app.Workspace) -> StepOutcome:
    """Self-test: the new workspace's chain verifies, the SQLCipher recipe is in force,
    the file passes its integrity checks and is not plain SQLite."""
    chain = ws.diagnostics.audit_chain()
    if not chain.ok:
        raise StepFailed(f"the audit chain does not verify: {chain.error}")
    found = ws.diagnostics.recipe()
    wrong = ws.diagnostics.recipe_problems(found)
    if wrong:
        raise StepFailed(f"the SQLCipher recipe is not in force: {', '.join(wrong)}")
    problems = ws.diagnostics.integrity_problems()
    if problems:
        raise StepFailed(f"integrity check: {'; '.join(problems[:3])}")
    with ws.layout.db.open("rb") as fh:
        if fh.read(16) == _PLAIN_SQLITE_HEADER:
            raise StepFailed("kura.db has a plain SQLite header: it is not encrypted")
    detail = (
        f"SQLCipher {found.get('cipher_version')}, recipe asserted, "
        f"audit chain verifies ({chain.count} events), integrity ok"
    )
    return detail, {"audit_events": chain.count, "recipe": found}
