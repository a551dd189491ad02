"""Remote models against a real OpenAI-compatible server (llama_cpp.server with the demo
GGUF, started by the test), through the real ``kura`` CLI: the connection test at
registration, chat, its trace, the key canary, a Member's refusals, TLS with a pin or a
CA (and a wrong one refused, at registration and, registered with ``--no-check``, at
chat), and the network guard's allowlist in a Kura process with a remote model."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cli_support import REPO, Kura, require_secret_service
from tests.integration.openai_server import Served, llama_server, make_certificate

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

PW = "correct horse battery staple"
MEMBER_PW = "member passphrase 1234"
CANARY = "sk-KEYCANARY-51c0ffee93"


@pytest.fixture(scope="module")
def served(demo_model_path: Path) -> Iterator[Served]:
    with llama_server(demo_model_path, api_key=CANARY) as s:
        yield s


def _kura(tmp_path: Path) -> Kura:
    require_secret_service()
    # without tests/integration/netguard_site: this Kura talks to the server on purpose;
    # its own guard (bootstrap) is what must hold
    k = Kura(tmp_path / "ws", tmp_path / "tmp", PYTHONPATH=str(REPO))
    k.init("owner", PW)
    return k


def _owner(k: Kura, *args: str, stdin: str = "") -> tuple[int, str, str]:
    res = k(*args, "--user", "owner", "--password-stdin", stdin=PW + "\n" + stdin)
    return res.code, res.out, res.err


def _add_app(k: Kura, model: str, app_name: str) -> None:
    code, _, err = _owner(
        k, "apps", "create", "--name", app_name, "--model", model,
        "--system-prompt", "You are a terse assistant.",
        "--param", "max_tokens=16", "--param", "temperature=0", "--param", "seed=7",
    )  # fmt: skip
    assert code == 0, err


def _chat(k: Kura, app_name: str) -> tuple[int, str, str]:
    return _owner(k, "chat", app_name, "--message", "Name one colour.", "--json")


def _files_contain(folder: Path, needle: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_chat_through_a_real_server_keeps_the_key_out_of_everything(
    served: Served, tmp_path: Path
) -> None:
    k = _kura(tmp_path)
    code, out, err = _owner(
        k, "models", "add-remote", "gpu", "--base-url", served.base_url, "--model", "demo",
        "--api-key-stdin", "--ctx", "1024", "--json", stdin=CANARY + "\n",
    )  # fmt: skip
    assert code == 0, err
    registered = json.loads(out)
    assert registered["remote"]["api_key"] is True and CANARY not in out
    assert registered["check"]["ok"] is True and registered["check"]["models"] == ["demo"]
    _add_app(k, "gpu", "helper")
    code, out, err = _chat(k, "helper")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["stop_reason"] in ("stop", "length") and answer["usage"]["completion_tokens"] >= 1
    code, out, err = _owner(k, "logs", "traces", "--json")
    assert code == 0, err
    trace = json.loads(out)["traces"][0]["trace"]
    remote = trace["remote"]
    assert remote["endpoint"] == served.base_url and remote["model_reported"] == "demo"
    assert remote["request"]["seed"] == 7 and remote["request"]["max_tokens"] == 16
    assert {"connect_ms", "ttft_ms", "total_ms"} <= set(remote["timings"])
    code, out, err = _owner(k, "doctor", "--json")
    facts = next(c for c in json.loads(out)["checks"] if c["name"] == "workspace")
    assert facts["network_allowed"] == [f"127.0.0.1:{served.port}"]
    assert f"network allowed only to 127.0.0.1:{served.port}" in facts["detail"]
    bundle = tmp_path / "out" / "bundle.zip"
    bundle.parent.mkdir()
    code, _, err = _owner(k, "logs", "export", "--out", str(bundle))
    assert code == 0, err
    with zipfile.ZipFile(bundle) as z:
        assert all(CANARY.encode() not in z.read(n) for n in z.namelist())
        events = z.read("events.jsonl").decode()
    assert '"remote"' in events and served.base_url in events
    needle = CANARY.encode()
    assert _files_contain(tmp_path, needle) == []  # data dir, temp dir, bundle, logs
    assert CANARY not in trace.__repr__()


def test_the_connection_test_needs_the_api_key(served: Served, tmp_path: Path) -> None:
    k = _kura(tmp_path)
    add = ("models", "add-remote", "gpu", "--base-url", served.base_url, "--model", "demo")
    code, out, err = _owner(k, *add)
    lines = err.strip().splitlines()
    assert code == 1 and out == "" and len(lines) == 1 and "Traceback" not in err, err
    assert "HTTP 401" in lines[0] and "API key" in lines[0] and "--no-check" in lines[0]
    code, out, _ = _owner(k, "models", "list", "--json")
    assert code == 0 and "gpu" not in out  # nothing was registered
    code, out, err = _owner(k, *add, "--api-key-stdin", stdin=CANARY + "\n")
    assert code == 0, err
    assert f"Connection test: {served.base_url} answered in" in out and "serves demo" in out


def test_a_member_can_neither_read_nor_change_endpoints(served: Served, tmp_path: Path) -> None:
    k = _kura(tmp_path)
    code, _, err = _owner(
        k, "models", "add-remote", "gpu", "--base-url", served.base_url, "--model", "demo",
        "--no-check",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = _owner(k, "users", "add", "mo", "--role", "member", stdin=MEMBER_PW + "\n")
    assert code == 0, err

    def member(*args: str) -> tuple[int, str, str]:
        res = k(*args, "--user", "mo", "--password-stdin", stdin=MEMBER_PW + "\n")
        return res.code, res.out, res.err

    code, out, _ = member("models", "list", "--json")
    assert code == 0 and str(served.port) not in out and "127.0.0.1" not in out
    code, _, err = member(
        "models", "add-remote", "mine", "--base-url", served.base_url, "--model", "demo"
    )
    assert code == 3 and len(err.strip().splitlines()) == 1
    code, _, err = member("models", "remove", "gpu")
    assert code == 3 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("trust", ["pin", "ca"])
def test_tls_is_verified_against_the_pin_or_the_ca(
    demo_model_path: Path, tmp_path: Path, trust: str
) -> None:
    good = make_certificate(tmp_path / "certs", "server")
    other = make_certificate(tmp_path / "certs", "impostor")
    k = _kura(tmp_path)
    with llama_server(demo_model_path, certificate=good) as s:
        for name, cert in (("right", good), ("wrong", other)):
            how = (
                ["--pin-sha256", cert.sha256]
                if trust == "pin"
                else ["--ca-file", str(cert.cert_pem)]
            )
            add = ("models", "add-remote", name, "--base-url", s.base_url, "--model", "demo")
            code, out, err = _owner(k, *add, *how)
            if name == "wrong":  # the connection test refuses it: one line, exit 1
                lines = err.strip().splitlines()
                assert code == 1 and out == "" and len(lines) == 1, err
                assert "connection test" in lines[0] and "certificate" in lines[0]
                assert "--no-check" in lines[0] and "Traceback" not in err
                code, out, err = _owner(k, *add, *how, "--no-check")
                assert "Connection test skipped" in out
            else:
                assert f"Connection test: {s.base_url} answered in" in out
            assert code == 0, err
            _add_app(k, name, f"app-{name}")
        code, out, err = _chat(k, "app-right")
        assert code == 0, err
        code, out, err = _chat(k, "app-wrong")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "certificate" in lines[0] and "Traceback" not in err


def test_with_a_remote_model_only_its_address_is_reachable(served: Served, tmp_path: Path) -> None:
    """A Kura process (bootstrap + open, as the CLI and the GUI do) connects to the
    registered endpoint; any other loopback port is refused and the refusal audited."""
    k = _kura(tmp_path)
    code, _, err = _owner(
        k, "models", "add-remote", "gpu", "--base-url", served.base_url, "--model", "demo",
        "--no-check",
    )  # fmt: skip
    assert code == 0, err
    script = textwrap.dedent(
        f"""
        import json, socket, sys
        from pathlib import Path
        from desktop import app
        app.bootstrap()
        ws = app.open_workspace(Path(sys.argv[1]), key_store=app.default_key_store())
        out = {{}}
        for name, port in (("registered", {served.port}), ("other", {served.port + 1})):
            s = socket.socket()
            try:
                s.connect(("127.0.0.1", port))
                out[name] = "connected"
            except PermissionError as exc:
                out[name] = "refused: " + str(exc)
            except OSError as exc:
                out[name] = "allowed (" + type(exc).__name__ + ")"
            finally:
                s.close()
        ws.close()
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(k.data_dir)],
        capture_output=True, text=True, cwd=REPO, check=False,
        env={**k.env, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"registered": "connected", "other": "refused: Kura does not use the network"}
    # the refusal is in the audit log: a bundle's events carry it
    bundle = tmp_path / "b.zip"
    code, _, err = _owner(k, "logs", "export", "--out", str(bundle))
    assert code == 0, err
    with zipfile.ZipFile(bundle) as z:
        refused = [
            json.loads(line)
            for line in z.read("events.jsonl").decode().splitlines()
            if '"network.refused"' in line
        ]
    assert refused and f"{served.port + 1}" in json.dumps(refused[0])
