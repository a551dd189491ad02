"""Audit bundle: export a signed bundle, verify it with the shipped verifier and, where
it is installed, with OpenSSH's ``ssh-keygen -Y verify``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from desktop import app
from desktop.core.models import Actor
from desktop.diagnostics.common import StepFailed, StepOutcome, one_line
from desktop.verifier import bundle_verify


def bundle_step(ws: app.Workspace, owner: Actor, folder: Path) -> StepOutcome:
    """Self-test: export the whole log into ``folder`` and verify it twice."""
    export = ws.logs.export(owner)
    path = folder / "audit-bundle.zip"
    path.write_bytes(export.data)
    signers = ws.logs.allowed_signers(owner)
    report = bundle_verify.verify_bundle(str(path), allowed_signers=signers)
    if not report.ok:
        raise StepFailed(f"the bundle does not verify: {report.reason}")
    ssh = _ssh_keygen_verify(path, signers, str(report.facts["identity"]))
    detail = (
        f"{export.count} events signed by {export.fingerprint}, "
        f"verified by Kura's verifier{' and ' + ssh if ssh else ''}"
    )
    if not ssh:
        detail += "; ssh-keygen not found, its check skipped"
    return detail, {"events": export.count, "ssh_keygen": bool(ssh)}


def _ssh_keygen_verify(bundle: Path, signers: str, identity: str) -> str:
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
        said = one_line(done.stderr.decode("utf-8", "replace") or done.stdout.decode())
        raise StepFailed(f"ssh-keygen -Y verify refused the signature: {said}")
    return "ssh-keygen -Y verify"


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
