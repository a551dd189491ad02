"""The cost of the usage-limit checks per turn, with many turns in the database.

A real encrypted workspace holds ``KURA_BENCH_TURNS`` finished turns (default 20,000)
spread over 90 days, 50 users and 20 apps (conversations through the real repository,
their turns in bulk, as finished turns look: the FTS triggers fire as usual). Then,
on the same workspace, it times ``LimitService.admit`` (the gate every turn passes):
with no limit set (one indexed read of ``usage_limits``), and with a busy user's tokens
per day and per month and requests per minute, their app's tokens per day and the
model's answers at once all set (the user and the app have ~1/50 and ~1/20 of the
turns). It also times whole turns (fake model, real store) without and with those
limits, so the check's share of a turn shows. Prints microseconds; asserts no time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.clock import iso_utc
from desktop.core.limits import LimitKind, LimitScope, Windows
from desktop.core.models import Actor, Role
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage import repo_limits
from desktop.storage.columns import to_json
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder

TURNS = int(os.environ.get("KURA_BENCH_TURNS", "20000"))
USERS, APPS, DAYS, PER_CONVERSATION = 50, 20, 90, 10
CHECKS = 2_000
SENDS = 100
PW = "a long enough passphrase"
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _fill(ws: app.Workspace, owner_id: int, model_id: int) -> tuple[list[int], list[int]]:
    """Users, apps and ``TURNS`` finished turns, oldest first, the newest a minute ago."""
    with ws.store.transaction() as tx:
        users = [
            tx.users.add(username=f"u{n}", display_name=f"u{n}", role=Role.MEMBER,
                         password_hash="x", created_at=iso_utc(NOW)).id
            for n in range(USERS)
        ]  # fmt: skip
        apps = [
            tx.apps.create(AppConfig(name=f"app{n}", model_id=model_id), created_by="owner",
                           now=iso_utc(NOW)).id
            for n in range(APPS)
        ]  # fmt: skip
    step = timedelta(days=DAYS) / TURNS
    first = NOW - timedelta(days=DAYS) - timedelta(minutes=1)
    usage = to_json({"prompt_tokens": 300, "completion_tokens": 80})
    for start in range(0, TURNS, 10_000):
        with ws.store.transaction() as tx:
            conn = tx.limits._conn  # type: ignore[attr-defined]  # bulk rows, one statement
            rows = []
            for n in range(start, min(start + 10_000, TURNS), PER_CONVERSATION):
                last = min(n + PER_CONVERSATION, TURNS) - 1
                conv = tx.conversations.create(
                    app_id=apps[n // PER_CONVERSATION % APPS],
                    app_version=1,
                    user_id=users[n // PER_CONVERSATION % USERS],
                    title="t",
                    variables={},
                    now=iso_utc(first + step * last),
                )
                rows += [
                    (conv.id, k + 1, "q", "a", "stop", 1, "0" * 64, usage,
                     iso_utc(first + step * (n + k)))
                    for k in range(last - n + 1)
                ]  # fmt: skip
            conn.executemany(
                "INSERT INTO turns (conversation_id, seq, user_text, answer, stop_reason,"
                " app_version, model_sha256, usage, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    return users, apps


def _turns(ws: app.Workspace, owner: Actor, tmp: Path) -> tuple[list[float], list[float]]:
    """Whole turns, alternately by a user with no limit on an app and model with none,
    and by a user with 3 limits on an app with 1 and a model with 1 (interleaved, so
    both see the same load on a shared machine)."""
    other = tmp / "m2.gguf"
    other.write_bytes(b"GGUF" + b"\1" * 32)
    m2 = ws.models.register(owner, str(other), name="m2").id
    m1 = ws.models.get(owner, "m").id
    free_app = ws.apps.create(owner, AppConfig(name="free", model_id=m2)).id
    bench_app = ws.apps.create(owner, AppConfig(name="bench", model_id=m1)).id
    people = {}
    for name in ("free", "busy"):
        ws.accounts.add_user(owner, name, Role.MEMBER, PW)
        people[name] = ws.accounts.authenticate(name, PW)
    limits = ws.limits
    limits.set_limits(owner, LimitScope.USER, "busy", {
        LimitKind.TOKENS_PER_DAY: 10**9, LimitKind.TOKENS_PER_MONTH: 10**10,
        LimitKind.REQUESTS_PER_MINUTE: 10**6,
    })  # fmt: skip
    limits.set_limits(owner, LimitScope.APP, "bench", {LimitKind.TOKENS_PER_DAY: 10**9})
    plain: list[float] = []
    limited: list[float] = []
    question = "how long is the retention period?"
    for _ in range(SENDS):
        for who, app_id, out in (("free", free_app, plain), ("busy", bench_app, limited)):
            start = time.perf_counter()
            ws.chat.send(people[who], app_id, question)
            out.append((time.perf_counter() - start) * 1e6)
    return plain, limited


def _per_call_us(fn: Callable[[], object], n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples), statistics.mean(samples)


def test_limit_checks_per_turn(tmp_path: Path) -> None:
    keys, clock = MemoryKeyStore(), FixedClock(NOW)
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    fake = FakeChatModel()
    engines = app.Engines(FakeInspector(), fake, embedder_factory=lambda _: HashEmbedder(64))
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=fast, clock=clock)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with app.open_workspace(
        tmp_path / "w", key_store=keys, hasher=fast, clock=clock, engines=engines
    ) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        model_id = ws.models.register(owner, str(model), name="m").id
        start = time.perf_counter()
        users, apps = _fill(ws, owner.user_id, model_id)
        fill_s = time.perf_counter() - start
        heavy = Actor(user_id=users[0], username="u0", role=Role.MEMBER)

        def gate() -> None:
            with ws.limits.admit(heavy, apps[0], model_id):
                pass

        none_med, none_mean = _per_call_us(gate, CHECKS)
        for scope, name, values in (
            (LimitScope.USER, "u0", {LimitKind.TOKENS_PER_DAY: 10**9,
                                     LimitKind.TOKENS_PER_MONTH: 10**10,
                                     LimitKind.REQUESTS_PER_MINUTE: 10**6}),
            (LimitScope.APP, "app0", {LimitKind.TOKENS_PER_DAY: 10**9}),
            (LimitScope.MODEL, "m", {LimitKind.CONCURRENT: 100}),
        ):  # fmt: skip
            ws.limits.set_limits(owner, scope, name, values)
        all_med, all_mean = _per_call_us(gate, CHECKS)
        status = {(u.subject, u.kind.value): u.used for u in ws.limits.status(owner)}
        with ws.store.transaction() as tx:
            conn = tx.limits._conn  # type: ignore[attr-defined]
            windows = Windows(*(iso_utc(NOW - timedelta(days=d)) for d in (19, 0.5, 19, 0)))
            plan = conn.execute(
                f"EXPLAIN QUERY PLAN SELECT {repo_limits._WINDOWED} FROM conversations AS c"
                " JOIN turns AS t ON t.conversation_id = c.id"
                " WHERE c.user_id = ? AND c.updated_at >= ? AND t.created_at >= ?",
                (windows.day, windows.month, windows.minute, windows.minute, users[0],
                 windows.since, windows.since),
            ).fetchall()  # fmt: skip

        plain_us, limited_us = _turns(ws, owner, tmp_path)
    plain_med, limited_med = statistics.median(plain_us), statistics.median(limited_us)
    print(
        f"\nlimits: {TURNS:,} turns over {DAYS} days, {USERS} users, {APPS} apps "
        f"(filled in {fill_s:.1f} s)\n"
        f"  gate, no limit set:          {none_med:8.1f} us median ({none_mean:.1f} mean)\n"
        f"  gate, 5 limits (user u0 has {status[('u0', 'tokens_per_month')]:,} tokens this "
        f"month, app0 {status[('app0', 'tokens_per_day')]:,} today): "
        f"{all_med:8.1f} us median ({all_mean:.1f} mean)\n"
        f"  whole turn (fake model, real store), no limits: {plain_med:8.1f} us median\n"
        f"  whole turn with 5 limits on its user/app/model: {limited_med:8.1f} us median\n"
        f"  query plan (user's tokens): {[row[-1] for row in plan]}"
    )
