"""``make package``: the PyInstaller one-folder build, a tarball, and a signed SHA256SUMS.

    python packaging/build.py [--skip-build]

The checksum file is signed the way Kura signs audit bundles (SSHSIG, Ed25519), so a
recipient checks the media offline with stock tools:

    ssh-keygen -Y verify -f allowed_signers -I kura-release -n kura-release \\
        -s SHA256SUMS.sig < SHA256SUMS
    sha256sum -c SHA256SUMS

The release key is a 32-byte seed kept in the OS keyring (service ``kura``, item
``release-signing-key``), never in a file; the first build on a machine creates it.
Publish ``allowed_signers`` through a channel the recipients already trust.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop import __version__
from desktop.core.errors import AppError
from desktop.security import signing

BUILD = ROOT / "build"
FROZEN = BUILD / "dist" / "kura"
DIST = ROOT / "dist"
NAMESPACE = IDENTITY = "kura-release"
KEY_ITEM = "release-signing-key"


def _say(message: str) -> None:
    print(f"package: {message}", file=sys.stderr, flush=True)


def build() -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(BUILD / "dist"),
            "--workpath",
            str(BUILD / "pyi"),
            str(ROOT / "packaging" / "kura.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def _epoch() -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time: the same tree gives the same tar."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return int(out.stdout.strip() or time.time())


def tarball(name: str) -> Path:
    DIST.mkdir(exist_ok=True)
    target = DIST / f"{name}.tar.gz"
    mtime = _epoch()

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = mtime
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        for path in sorted(FROZEN.rglob("*")):
            arcname = Path(name) / path.relative_to(FROZEN)
            tar.add(path, arcname=str(arcname), recursive=False, filter=normalise)
    return target


def _release_seed() -> bytes:
    from desktop import app

    store = app.default_key_store()
    seed = store.get_secret(KEY_ITEM)
    if seed is None:
        seed = signing.new_signing_key()
        store.set_secret(KEY_ITEM, seed)
        _say(f"created a release signing key in {store.backend_name()} (item {KEY_ITEM})")
    return seed


def sign(files: list[Path], seed: bytes) -> tuple[Path, str]:
    lines = []
    for path in files:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        lines.append(f"{digest.hexdigest()}  {path.name}\n")
    sums = DIST / "SHA256SUMS"
    sums.write_text("".join(lines), encoding="ascii")
    public = signing.public_openssh(seed)
    (DIST / "SHA256SUMS.sig").write_text(
        signing.sshsig_sign(seed, sums.read_bytes(), NAMESPACE), encoding="ascii"
    )
    (DIST / "allowed_signers").write_text(
        signing.allowed_signers_line(IDENTITY, public, NAMESPACE) + "\n", encoding="ascii"
    )
    return sums, signing.fingerprint(public)


def verify(sums: Path) -> None:
    """Check the media as a recipient would, when the stock tools are here."""
    if shutil.which("ssh-keygen"):
        with sums.open("rb") as fh:
            subprocess.run(
                [
                    "ssh-keygen",
                    "-Y",
                    "verify",
                    "-f",
                    "allowed_signers",
                    "-I",
                    IDENTITY,
                    "-n",
                    NAMESPACE,
                    "-s",
                    "SHA256SUMS.sig",
                ],
                stdin=fh,
                cwd=DIST,
                check=True,
            )
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=DIST, check=True)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def report(seconds: float | None, tar: Path, fingerprint: str) -> None:
    internal = FROZEN / "_internal"
    parts = sorted(
        ((_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()),
        reverse=True,
    )
    if seconds is not None:
        _say(f"build time {seconds:.0f} s")
    folder, packed = _size(FROZEN) / 2**20, tar.stat().st_size / 2**20
    _say(f"one-folder build {folder:.0f} MiB, tarball {packed:.0f} MiB")
    for size, name in parts[:8]:
        _say(f"  {size / 2**20:7.1f} MiB  {name}")
    _say(f"signed SHA256SUMS with {fingerprint}; publish dist/allowed_signers")


def _runtime_backend(wanted: str) -> str | None:
    """The backend of the llama-cpp-python this build will freeze, when it is the one
    wanted and Kura's build step made it; None (after saying why) otherwise."""
    from desktop.modelhost.runtime import build_record

    record = build_record()
    if record is None:
        _say("llama-cpp-python was not built by packaging/llama_runtime.py: run make package")
        return None
    if record.get("backend") != wanted:
        _say(
            f"the installed llama-cpp-python is the {record.get('backend')} build, not "
            f"{wanted}: run make package (it installs the wanted one first)"
        )
        return None
    _say(f"freezing the {wanted} runtime, CPU baseline {record.get('cpu_baseline')}")
    return wanted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help="reuse build/dist/kura")
    parser.add_argument("--backend", default="cpu", help="the llama.cpp runtime to ship")
    args = parser.parse_args()
    backend = _runtime_backend(args.backend)
    if backend is None:
        return 2
    try:  # before minutes of building: without the key nothing can be signed
        seed = _release_seed()
    except AppError as exc:
        _say(f"cannot get the release signing key: {exc.message}")
        return 1
    seconds = None if args.skip_build else build()
    if not (FROZEN / "kura").exists() and not (FROZEN / "kura.exe").exists():
        _say("no build at build/dist/kura: run without --skip-build")
        return 2
    machine = platform.machine().lower()
    name = f"kura-{__version__}-{sys.platform}-{machine}"
    if backend != "cpu":
        name += f"-{backend}"
    for old in DIST.glob("kura-*.tar.gz") if DIST.exists() else ():
        old.unlink()
    tar = tarball(name)
    sums, fingerprint = sign([tar], seed)
    verify(sums)
    report(seconds, tar, fingerprint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
