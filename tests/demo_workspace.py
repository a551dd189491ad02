"""A small, realistic workspace for screenshots and end-to-end checks: the demo model,
a bilingual knowledge base, an app linked to it, a few members and real chat turns.

Everything goes through the services with the real engines (llama-cpp-python on the demo
GGUF, the packaged sentence-transformers model), so what the screens show is real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from tests.fakes import MemorySource

OWNER = "tanaka"
PASSWORD = "correct horse battery staple 蔵"

HANDBOOK_JA = """# 情報セキュリティ規程

## 第1条 目的
本規程は、当社が取り扱う情報資産を保護するための基本方針を定める。

## 第2条 持ち出し
機密情報を社外に持ち出す場合は、事前に情報セキュリティ責任者の承認を得ること。
USBメモリは暗号化された会社支給品のみ使用できる。

## 第3条 パスワード
パスワードは12文字以上とし、他のサービスと使い回してはならない。
"""

HANDBOOK_EN = """# Remote work guide

Staff may work remotely up to three days a week with their manager's approval.
Laptops must use full-disk encryption and lock after five minutes without activity.
Report a lost device to the security desk within one hour.
"""


def seed(ws: Any, demo_model: Path) -> dict[str, Any]:
    """Fill an open workspace whose Owner is OWNER; returns the ids it made."""
    owner = ws.accounts.authenticate(OWNER, PASSWORD)
    model = ws.models.register(owner, str(demo_model), name="gemma3-270m")
    kb = ws.knowledge.create(
        owner,
        "社内規程 Handbook",
        description="Security rules and the remote work guide",
        visibility=KbVisibility.ALL,
    )
    ws.knowledge.ingest(
        owner,
        kb.id,
        [
            MemorySource("情報セキュリティ規程.md", HANDBOOK_JA.encode()),
            MemorySource("remote-work.md", HANDBOOK_EN.encode()),
        ],
    )
    config = AppConfig(
        name="規程アシスタント",
        model_id=model.id,
        description="社内規程についての質問に答えます",
        instructions="Answer questions about company rules for the {{department}} department.",
        variable_labels=(("department", "部署"),),
        params=SamplingParams(temperature=0.2, max_tokens=96, seed=7),
        opening_statement="こんにちは。社内規程について質問してください。",
        suggested_questions=("USBメモリは使えますか？", "How many remote days are allowed?"),
        kb_ids=(kb.id,),
    )
    chat_app = ws.apps.create(owner, config)
    for name, role in (("sato", Role.ADMIN), ("suzuki", Role.EDITOR), ("kim", Role.MEMBER)):
        ws.accounts.add_user(owner, name, role, PASSWORD)
    turn = ws.chat.send(
        owner, chat_app.id, "USBメモリは使えますか？", variables={"department": "総務部"}
    )
    ws.logs.rate(owner, turn.turn.id, "up", "正確")
    ws.chat.send(
        owner, chat_app.id, "How many remote days are allowed?", variables={"department": "IT"}
    )
    return {"app": chat_app.id, "kb": kb.id, "model": model.id}


def create(data_dir: Path, key_store: Any, demo_model: Path) -> dict[str, Any]:
    app.init_workspace(data_dir, OWNER, PASSWORD, key_store=key_store)
    with app.open_workspace(data_dir, key_store=key_store) as ws:
        return seed(ws, demo_model)
