"""The operation primitive: the permission check and the change share ONE transaction.

A second connection (another lane, another Kura process) demotes or disables the acting
user at the moment the permission is checked. Because the check runs inside the change's
write transaction, the demotion cannot commit between the two: it waits, and the log
shows the change, then the demotion. Before the primitive, the check committed on its
own and the demotion landed in between: a demoted user's change went through after it.
A demotion that commits before the operation begins is seen by it: refused, audited.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppConfig
from desktop.core.errors import AuthenticationFailed, PermissionDenied
from desktop.core.models import Actor, Role, UserStatus
from desktop.core.services import base
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER

SERVICES = Path(base.__file__).parent


@pytest.fixture
def second(
    ws: app.Workspace, key_store: MemoryKeyStore, clock: FixedClock
) -> Iterator[app.Workspace]:
    """The same workspace on a second connection."""
    with app.open_workspace(
        ws.layout.data_dir, key_store=key_store, hasher=FAST_HASHER, clock=clock
    ) as other:
        yield other


def _events(ws: app.Workspace) -> list[tuple[int, str, str]]:
    with ws.store.transaction() as tx:
        return [(e.seq, e.actor, e.action) for e in tx.audit.iter_events()]


Operation = Callable[[app.Workspace, dict[str, Actor], str], object]

OPERATIONS: dict[str, tuple[str, Operation, AuditAction]] = {
    "create an app": (
        "eve",
        lambda ws, p, model: ws.apps.create(p["eve"], AppConfig(name="x", model_id=int(model))),
        AuditAction.APP_CREATED,
    ),
    "create a knowledge base": (
        "ada",
        lambda ws, p, _: ws.knowledge.create(p["ada"], "kb"),
        AuditAction.KB_CREATED,
    ),
    "disable a member": (
        "ada",
        lambda ws, p, _: ws.accounts.set_status(p["ada"], "mo", UserStatus.DISABLED),
        AuditAction.USER_DISABLED,
    ),
    "change the idle timeout": (
        "ada",
        lambda ws, p, _: ws.settings.set_idle_timeout(p["ada"], 30),
        AuditAction.SETTINGS_IDLE_TIMEOUT,
    ),
}


def _model(ws: app.Workspace, owner: Actor, tmp_path: Path) -> str:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 32)
    return str(ws.models.register(owner, str(path), name="m").id)


@pytest.mark.parametrize("how", ["demote", "disable"])
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_demotion_at_the_permission_check_cannot_land_before_the_change(
    ws: app.Workspace,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    people: dict[str, Actor],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    how: str,
) -> None:
    user, operation, action = OPERATIONS[name]
    model = _model(ws, people["owner"], tmp_path)
    real_allowed = rbac.allowed
    raced: list[threading.Thread] = []

    def demote() -> None:  # another connection, as another lane or process has
        with app.open_workspace(
            ws.layout.data_dir, key_store=key_store, hasher=FAST_HASHER, clock=clock
        ) as other:
            owner = other.accounts.authenticate("owner", PEOPLE_PASSWORD)
            if how == "demote":
                other.accounts.set_role(owner, user, Role.MEMBER)
            else:
                other.accounts.set_status(owner, user, UserStatus.DISABLED)

    def allowed_then_race(role: Role, permission: rbac.Permission) -> bool:
        verdict = real_allowed(role, permission)
        if not raced and role is not Role.OWNER:
            thread = threading.Thread(target=demote)
            raced.append(thread)
            thread.start()
            thread.join(1.0)  # lands now, unless the check holds the write lock
        return verdict

    monkeypatch.setattr(rbac, "allowed", allowed_then_race)
    operation(ws, people, model)
    monkeypatch.setattr(rbac, "allowed", real_allowed)
    raced[0].join()
    events = _events(ws)
    change = max(seq for seq, actor, act in events if actor == user and act == action)
    undone = AuditAction.USER_ROLE_CHANGED if how == "demote" else AuditAction.USER_DISABLED
    demotion = max(seq for seq, actor, act in events if act == undone and actor == "owner")
    assert change < demotion, f"{user} changed something after being {how}d"


def test_a_demotion_that_committed_first_is_refused_and_audited(
    ws: app.Workspace, second: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    model = _model(ws, people["owner"], tmp_path)
    owner2 = second.accounts.authenticate("owner", PEOPLE_PASSWORD)
    second.accounts.set_role(owner2, "eve", Role.MEMBER)
    stale = people["eve"]  # still says Editor
    with pytest.raises(PermissionDenied):
        ws.apps.create(stale, AppConfig(name="x", model_id=int(model)))
    assert ws.apps.list(people["owner"]) == []
    _seq, actor, action = _events(ws)[-1]
    assert (actor, action) == ("eve", AuditAction.PERMISSION_DENIED)
    second.accounts.set_status(owner2, "eve", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        ws.apps.list(stale)


def test_a_refusal_inside_an_operation_rolls_its_change_back(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        ws.accounts.set_status(people["ada"], "owner", UserStatus.DISABLED)
    owner = next(u for u in ws.accounts.list_users(people["owner"]) if u.username == "owner")
    assert owner.status is UserStatus.ACTIVE
    assert _events(ws)[-1][1:] == ("ada", AuditAction.PERMISSION_DENIED)


# ---------------------------------------------------------------- every method uses it


def _calls(node: ast.AST) -> set[str]:
    """Dotted names of everything ``node`` calls (``self._op``, ``tx.audit.append``)."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            parts, func = [], call.func
            while isinstance(func, ast.Attribute):
                parts.append(func.attr)
                func = func.value
            if isinstance(func, ast.Name):
                parts.append(func.id)
            names.add(".".join(reversed(parts)))
    return names


#: Methods that open a transaction without a signed-in user, each for a stated reason.
def _no_actor_reason(method: ast.FunctionDef) -> str | None:
    """The reason given by the method's ``@no_actor("...")`` mark, if it has one."""
    for decorator in method.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "no_actor"
            and len(decorator.args) == 1
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, str)
        ):
            return decorator.args[0].value
    return None


def test_every_public_service_method_goes_through_the_primitive() -> None:
    """A public method of a service that touches the store must open ``self._op`` (or
    ``_precheck``/``_continue``, which are the primitive too), or carry a
    ``@no_actor("reason")`` mark with a reason; a marked method that opens the primitive
    needs no mark. ``audit.append`` appears nowhere but in the primitive's own module."""
    offenders, needless = [], []
    for path in sorted(SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path.name != "base.py":
            appends = [n for n in _calls(tree) if n.endswith("audit.append")]
            assert not appends, f"{path.name} appends to the audit log directly: {appends}"
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            if not cls.name.endswith("Service"):
                continue
            for method in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                if method.name.startswith("_"):
                    continue
                calls = _calls(method)
                uses_store = any(c.startswith(("self._store", "tx.", "op.")) for c in calls)
                primitive = calls & {"self._op", "self._precheck", "self._continue"}
                reason = _no_actor_reason(method)
                where = f"{path.name}: {cls.name}.{method.name}"
                if uses_store and not primitive and not (reason and reason.strip()):
                    offenders.append(where)
                if reason is not None and primitive:
                    needless.append(where)
    assert offenders == [], offenders
    assert needless == [], needless


def test_the_bundle_verifier_names_actions_the_enum_knows() -> None:
    """The shipped verifier (standard library only, so it cannot import the enum) spells
    the purge action itself; it must be the enum's."""
    from desktop.verifier import bundle_verify

    assert AuditAction.RETENTION_PURGED.value == bundle_verify.PURGE_ACTION
