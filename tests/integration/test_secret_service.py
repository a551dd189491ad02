"""KeyringKeyStore against a real Secret Service.

Run through ``tests/with_secret_service.sh``, which starts a throwaway gnome-keyring on a
private D-Bus session (``make test`` does). Without it the tests that need the Secret
Service skip, except on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import base64
import gc
import json
import os
import subprocess
import sys
import textwrap
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.core.errors import KeyItemMissing, KeyringLocked, KeyringUnavailable
from desktop.security import keystore
from desktop.security.keyslots import FILE_NAME, WorkspaceKeys
from desktop.security.keystore import KeyringKeyStore
from tests.fakes import FixedClock

pytestmark = pytest.mark.keyring

ROOT = Path(__file__).resolve().parents[2]
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


@pytest.fixture
def secret_service() -> None:
    """Require the throwaway Secret Service started by tests/with_secret_service.sh."""
    if os.environ.get("KURA_TEST_SECRET_SERVICE") == "1":
        return
    reason = "no test Secret Service: run through tests/with_secret_service.sh (make test)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " - required on CI")
    pytest.skip(reason)


@pytest.fixture
def unforced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No backend forced by environment or keyringrc.cfg; keyrings.alt files go to tmp."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def item() -> Iterator[str]:
    name = f"test:{uuid.uuid4()}"
    yield name
    if os.environ.get("KURA_TEST_SECRET_SERVICE") == "1":
        KeyringKeyStore().delete_secret(name)


# ---- the real Secret Service ---------------------------------------------------------


@pytest.mark.usefixtures("secret_service", "unforced")
def test_round_trip(item: str):
    store = KeyringKeyStore()
    assert store.backend_name() == SECRET_SERVICE
    assert store.get_secret(item) is None
    value = bytes(range(256))  # NUL bytes, high bytes: stored base64
    store.set_secret(item, value)
    assert store.get_secret(item) == value
    assert KeyringKeyStore().get_secret(item) == value  # a fresh instance sees it
    store.set_secret(item, b"second")
    assert store.get_secret(item) == b"second"
    store.delete_secret(item)
    assert store.get_secret(item) is None
    store.delete_secret(item)  # already gone: no error


@pytest.mark.usefixtures("secret_service", "unforced")
def test_value_is_base64_under_service_kura(item: str):
    import secretstorage

    KeyringKeyStore().set_secret(item, b"\x00\xff raw")
    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        (found,) = collection.search_items({"service": "kura", "username": item})
        assert found.get_secret() == base64.b64encode(b"\x00\xff raw")
    finally:
        connection.close()


@pytest.mark.usefixtures("secret_service", "unforced")
def test_workspace_keys_end_to_end(tmp_path: Path):
    store = KeyringKeyStore()
    keys = WorkspaceKeys(tmp_path / FILE_NAME, store, FixedClock())
    workspace = str(uuid.uuid4())
    try:
        dek, _ = keys.create(workspace)
        assert keys.unlock() == dek
        assert json.loads(keys.path.read_text())["slots"][0]["backend"] == SECRET_SERVICE
        new_dek, _ = keys.begin_rekey()
        keys.commit_rekey()
        assert keys.unlock() == new_dek
        store.delete_secret(f"workspace:{workspace}:2")
        with pytest.raises(KeyItemMissing):
            keys.unlock()
    finally:
        for name in (f"workspace:{workspace}", f"workspace:{workspace}:2"):
            store.delete_secret(name)


# ---- a locked collection -------------------------------------------------------------


def _unlock_default_collection() -> None:
    """Unlock the test keyring with its throwaway password, without a prompt.

    Uses gnome-keyring's own (test-grade) interface; a normal client can only ask for a
    prompt, which cannot be shown headless.
    """
    import secretstorage
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    password = os.environ["KURA_TEST_KEYRING_PASSWORD"].encode()
    connection = secretstorage.dbus_init()
    try:
        service = DBusAddressWrapper(
            "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", connection
        )
        (path,) = service.call("ReadAlias", "s", "default")
        internal = DBusAddressWrapper(
            "/org/freedesktop/secrets",
            "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
            connection,
        )
        secret = format_secret(open_session(connection), password, "text/plain")
        internal.call("UnlockWithMasterPassword", "o(oayays)", path, secret)
        assert not secretstorage.Collection(connection, path).is_locked()
    finally:
        connection.close()


@contextmanager
def locked_collection() -> Iterator[None]:
    """Lock the default collection for the block; unlock it again afterwards."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        collection.lock()
        assert collection.is_locked()
    finally:
        connection.close()
    try:
        yield
    finally:
        _unlock_default_collection()


@pytest.mark.usefixtures("secret_service", "unforced")
def test_locked_collection_is_keyring_locked(item: str):
    KeyringKeyStore().set_secret(item, b"kept")
    with locked_collection():
        # unlocking non-interactively fails: gnome-keyring cannot start its prompter
        store = KeyringKeyStore(unlock_timeout=10)
        with pytest.raises(KeyringLocked, match="unlock") as caught:
            store.get_secret(item)
        assert caught.value.exit_code == 4
        # headless: "dismissed" at once; with a display nobody answers: "not answered"
        assert "dismissed" in caught.value.message or "not answered" in caught.value.message
        with pytest.raises(KeyringLocked):
            store.set_secret(item, b"other")
        with pytest.raises(KeyringLocked):
            store.delete_secret(item)
    assert KeyringKeyStore().get_secret(item) == b"kept"


@pytest.mark.usefixtures("secret_service", "unforced")
def test_locked_error_from_keyring_itself_is_translated(item: str, monkeypatch: pytest.MonkeyPatch):
    """Without Kura's own unlock attempt, ``keyring`` raises its KeyringLocked."""
    import keyring.errors

    KeyringKeyStore().set_secret(item, b"kept")
    monkeypatch.setattr(KeyringKeyStore, "_unlock_secret_service", lambda self, backend: None)
    with locked_collection():
        with pytest.raises(KeyringLocked) as caught:
            KeyringKeyStore().get_secret(item)
        assert isinstance(caught.value.__cause__, keyring.errors.KeyringLocked)
    # keyring leaks its D-Bus connection when it raises KeyringLocked (upstream); reap it
    # here so the ResourceWarning does not surface in an unrelated test.
    del caught
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.mark.usefixtures("secret_service", "unforced")
def test_locked_workspace_is_not_reported_missing(tmp_path: Path):
    store = KeyringKeyStore(unlock_timeout=10)
    keys = WorkspaceKeys(tmp_path / FILE_NAME, store, FixedClock())
    workspace = str(uuid.uuid4())
    dek, _ = keys.create(workspace)
    try:
        with locked_collection(), pytest.raises(KeyringLocked):
            keys.unlock()
        assert keys.unlock() == dek
    finally:
        store.delete_secret(f"workspace:{workspace}")


# ---- forced and planted backends (no Secret Service needed) -------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("keyrings.alt.file.PlaintextKeyring", "stores secrets in plain text"),
        ("keyring.backends.fail.Keyring", "stores nothing"),
        ("keyring.backends.null.Keyring", "stores nothing"),
        ("keyring.backends.chainer.ChainerBackend", "chains other backends"),
        ("keyring.backends.kwallet.DBusKeyring", "is not an OS keyring Kura allows"),
        ("keyrings.alt.file.EncryptedKeyring", "in a file outside the OS keyring"),
        ("keyring.backends.libsecret.Keyring", "is not an OS keyring Kura allows"),
    ],
)
@pytest.mark.usefixtures("unforced")
def test_forced_backend_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, reason: str):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    store = KeyringKeyStore()
    with pytest.raises(KeyringUnavailable) as caught:
        store.get_secret("anything")
    message = caught.value.message
    assert name in message
    assert reason in message
    assert "unset PYTHON_KEYRING_BACKEND" in message
    assert "\n" not in message
    with pytest.raises(KeyringUnavailable):
        store.set_secret("anything", b"x")
    with pytest.raises(KeyringUnavailable):
        store.backend_name()


@pytest.mark.usefixtures("unforced")
def test_forced_backend_module_is_never_imported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    marker = tmp_path / "imported"
    module = tmp_path / "lib" / "kura_planted_backend.py"
    module.parent.mkdir()
    module.write_text(f"open({str(marker)!r}, 'w').close()\nclass Keyring: pass\n")
    monkeypatch.syspath_prepend(str(module.parent))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "kura_planted_backend.Keyring")
    with pytest.raises(KeyringUnavailable, match=r"kura_planted_backend\.Keyring"):
        KeyringKeyStore().get_secret("anything")
    assert not marker.exists()
    assert "kura_planted_backend" not in sys.modules


@pytest.mark.usefixtures("unforced")
def test_backend_forced_in_keyringrc_is_refused(tmp_path: Path):
    config = tmp_path / "config" / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    planted = tmp_path / "planted"
    config.write_text(
        "[backend]\n"
        "default-keyring = keyrings.alt.file.PlaintextKeyring\n"
        f"keyring-path = {planted}\n"
    )
    path_before = list(sys.path)
    with pytest.raises(KeyringUnavailable) as caught:
        KeyringKeyStore().get_secret("anything")
    assert "plain text" in caught.value.message
    assert "keyringrc.cfg" in caught.value.message
    assert sys.path == path_before  # keyring-path was not honoured


@pytest.mark.usefixtures("secret_service", "unforced")
def test_allowlisted_forced_backend_is_used(monkeypatch: pytest.MonkeyPatch, item: str):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE)
    store = KeyringKeyStore()
    assert store.backend_name() == SECRET_SERVICE
    store.set_secret(item, b"ok")
    assert store.get_secret(item) == b"ok"


@pytest.mark.usefixtures("unforced")
def test_allowlisted_backend_of_another_platform_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
):
    other = (
        "keyring.backends.Windows.WinVaultKeyring"
        if sys.platform != "win32"
        else "keyring.backends.macOS.Keyring"
    )
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", other)
    with pytest.raises(KeyringUnavailable, match="unavailable"):
        KeyringKeyStore().get_secret("anything")


@pytest.mark.skipif(sys.platform != "linux", reason="Secret Service platforms")
@pytest.mark.usefixtures("unforced")
def test_no_secret_service_is_unavailable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kura-test-bus")
    with pytest.raises(KeyringUnavailable, match="no Secret Service is running") as caught:
        KeyringKeyStore().get_secret("anything")
    assert "gnome-keyring" in caught.value.message


@pytest.mark.usefixtures("secret_service", "unforced")
def test_planted_plaintext_value_is_never_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A keyrings.alt-style plaintext file holding a workspace key is ignored."""
    workspace = str(uuid.uuid4())
    keys_dir = tmp_path / "ws"
    keys_dir.mkdir()
    # where keyrings.alt's PlaintextKeyring keeps its file (item name escaped its way)
    planted = tmp_path / "data" / "python_keyring" / "keyring_pass.cfg"
    planted.parent.mkdir(parents=True)
    planted.write_text(
        f"[kura]\nworkspace_3a{workspace.replace('-', '_2d')} = "
        + base64.b64encode(b"p" * 32).decode()
        + "\n"
    )
    store = KeyringKeyStore()
    assert store.get_secret(f"workspace:{workspace}") is None
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    with pytest.raises(KeyringUnavailable, match="plain text"):
        KeyringKeyStore().get_secret(f"workspace:{workspace}")


# ---- the network guard leaves D-Bus alone --------------------------------------------


@pytest.mark.usefixtures("secret_service")
def test_network_guard_allows_the_secret_service_only(tmp_path: Path):
    script = textwrap.dedent(
        """
        import socket, uuid
        from desktop.security.netguard import install_network_guard, violations
        from desktop.security.keystore import KeyringKeyStore

        install_network_guard()
        store = KeyringKeyStore()
        item = f"test:{uuid.uuid4()}"
        store.set_secret(item, b"over AF_UNIX")
        assert store.get_secret(item) == b"over AF_UNIX"
        store.delete_secret(item)
        assert violations() == ()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect(("127.0.0.1", 9))
        except PermissionError as exc:
            print("refused:", exc)
        print(len(violations()))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["refused: Kura does not use the network", "1"]


def test_module_does_not_import_keyring_eagerly():
    script = "import sys, desktop.security.keystore, desktop.security.keyslots; " + (
        "print(sorted(m for m in ('keyring', 'secretstorage', 'cryptography', 'argon2') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
    assert keystore.SERVICE == "kura"
