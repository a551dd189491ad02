"""A real OpenAI-compatible server for the tests: llama-cpp-python's own
``llama_cpp.server`` (the ``server`` extra) serving the demo GGUF on 127.0.0.1, in a
subprocess (the test process's network guard refuses to listen), plainly or over TLS
with a certificate the test makes."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

_RUNNING = re.compile(r"Uvicorn running on https?://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Served:
    port: int
    scheme: str

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/v1"


@dataclass(frozen=True)
class Certificate:
    cert_pem: Path
    key_pem: Path
    sha256: str  # of the DER certificate


def make_certificate(folder: Path, name: str) -> Certificate:
    """A self-signed certificate for 127.0.0.1 (and localhost), with its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_pem, key_pem = folder / f"{name}.crt", folder / f"{name}.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return Certificate(cert_pem, key_pem, hashlib.sha256(der).hexdigest())


@contextmanager
def llama_server(
    model: Path,
    *,
    api_key: str | None = None,
    certificate: Certificate | None = None,
    n_ctx: int = 1024,
) -> Iterator[Served]:
    """``python -m llama_cpp.server`` on a free loopback port; stopped after the block."""
    pytest.importorskip("uvicorn", reason="the llama_cpp server extra is not installed")
    pytest.importorskip("sse_starlette", reason="the llama_cpp server extra is not installed")
    args = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--model_alias", "demo", "--host", "127.0.0.1", "--port", "0",
        "--n_ctx", str(n_ctx), "--verbose", "false",
    ]  # fmt: skip
    if api_key:
        args += ["--api_key", api_key]
    if certificate:
        args += ["--ssl_certfile", str(certificate.cert_pem)]
        args += ["--ssl_keyfile", str(certificate.key_pem)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stderr is not None
    port = None
    seen: list[str] = []
    for line in process.stderr:  # until uvicorn says where it listens, or the end
        seen.append(line)
        match = _RUNNING.search(line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        process.wait()
        raise AssertionError("llama_cpp.server did not start:\n" + "".join(seen[-20:]))
    stderr = process.stderr
    threading.Thread(target=lambda: [None for _ in stderr], daemon=True).start()  # drain
    try:
        yield Served(port, "https" if certificate else "http")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
