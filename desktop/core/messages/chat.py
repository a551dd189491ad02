"""Messages of the chat area (codes start with ``chat.``): apps and their settings,
workspace settings and preferences, usage reports."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- nouns rendered inside other messages (Terms)
    "chat.what.instructions": Entry(Text(en="instructions", ja="指示")),
    "chat.what.description": Entry(Text(en="description", ja="説明")),
    "chat.what.opening_statement": Entry(Text(en="opening statement", ja="最初のあいさつ")),
    # ---- apps
    "chat.app_not_found": Entry(
        Text(en="no app {name!r}: {remedy}", ja="アプリ「{name}」はありません。{remedy}"),
        cli=Text(
            en="`kura apps list` shows the apps you can use",
            ja="使えるアプリは `kura apps list` で確認できます",
        ),
        gui=Text(
            en="the app list in Chat shows the apps you can use",
            ja="使えるアプリはチャットのアプリ一覧で確認できます",
        ),
    ),
    "chat.quick_app_fixed": Entry(
        Text(
            en="{name!r} is the built-in quick chat of a model and cannot be edited: "
            "create an app of your own instead",
            ja="「{name}」はモデルに組み込まれたクイックチャットなので編集できません。"
            "代わりに自分のアプリを作成してください",
        )
    ),
    "chat.app_exists": Entry(
        Text(
            en="an app named {name!r} exists: choose another name",
            ja="「{name}」という名前のアプリはすでにあります。別の名前にしてください",
        )
    ),
    "chat.app_unknown_setting": Entry(
        Text(en="unknown app setting: {reason}", ja="不明なアプリの設定です: {reason}")
    ),
    "chat.app_no_version": Entry(
        Text(
            en="app {name!r} has no version {version}",
            ja="アプリ「{name}」にはバージョン {version} がありません",
        )
    ),
    "chat.app_name_length": Entry(
        Text(
            en="an app name needs 1 to 100 characters",
            ja="アプリ名は 1〜100 文字にしてください",
        )
    ),
    "chat.app_text_too_long": Entry(
        Text(
            en="the {label} are too long (at most {maximum} characters)",
            ja="{label}が長すぎます（最大 {maximum} 文字）",
        )
    ),
    "chat.app_variable_label_length": Entry(
        Text(
            en="the label of {variable} is too long (at most {maximum} characters)",
            ja="{variable} の表示名が長すぎます（最大 {maximum} 文字）",
        )
    ),
    "chat.app_model_not_registered": Entry(
        Text(
            en="the app's model is not registered: {remedy}",
            ja="このアプリのモデルは登録されていません。{remedy}",
        ),
        cli=Text(
            en="`kura models list` shows them",
            ja="登録済みのモデルは `kura models list` で確認できます",
        ),
        gui=Text(
            en="Settings > Models shows them",
            ja="登録済みのモデルは 設定 > モデル で確認できます",
        ),
    ),
    "chat.no_such_users": Entry(
        Text(en="no such user(s): {names}", ja="次のユーザーはいません: {names}")
    ),
    "chat.app_needs_member": Entry(
        Text(
            en="an app visible to chosen members needs at least one {remedy}",
            ja="選択したメンバーだけが使えるアプリには、{remedy}",
        ),
        cli=Text(en="--member", ja="--member でメンバーを 1 人以上指定してください"),
        gui=Text(
            en="member: choose one under Who can use it in Studio",
            ja="スタジオの「利用できるユーザー」でメンバーを 1 人以上選んでください",
        ),
    ),
    "chat.app_needs_values": Entry(
        Text(
            en="this app needs values for: {names} ({remedy})",
            ja="このアプリには次の値が必要です: {names}（{remedy}）",
        ),
        cli=Text(en="pass --var NAME=VALUE", ja="--var NAME=VALUE で指定してください"),
        gui=Text(
            en="fill them in when a new chat asks for them",
            ja="新しいチャットを始めるときに入力してください",
        ),
    ),
    # ---- exhaustive mode (services/exhaustive.py)
    "chat.exhaustive_nothing_to_read": Entry(
        Text(
            en="{app!r} has no documents you may read to go through: {remedy}",
            ja="「{app}」には、すべて読み通せる（閲覧できる）文書がありません。{remedy}",
        ),
        cli=Text(
            en="link a knowledge base with documents to it (`kura apps edit --kb`), "
            "or ask without --exhaustive",
            ja="文書のあるナレッジベースをリンクする（`kura apps edit --kb`）か、"
            "--exhaustive を付けずに質問してください",
        ),
        gui=Text(
            en="link a knowledge base with documents to it in Studio, drop files on the "
            "chat, or ask without “Read every document”",
            ja="Studio で文書のあるナレッジベースをリンクするか、チャットにファイルを"
            "ドロップするか、「すべての文書を読む」をオフにして質問してください",
        ),
    ),
    "chat.exhaustive_progress": Entry(
        Text(
            en="reading every document: batch {part} of {parts}",
            ja="すべての文書を読んでいます: バッチ {part} / {parts}",
        )
    ),
    # ---- workspace settings and preferences
    "chat.idle_timeout_range": Entry(
        Text(
            en="the idle timeout must be a whole number of minutes from {minimum} to "
            "{maximum} (8 hours): choose one in that range",
            ja="無操作時のロックまでの時間は {minimum}〜{maximum} 分（8 時間）の整数で"
            "指定してください",
        )
    ),
    "chat.unknown_preference": Entry(
        Text(
            en="unknown preference {key!r}: choose one of {choices}",
            ja="設定項目「{key}」は不明です。{choices} のどれかを選んでください",
        )
    ),
    "chat.preference_invalid": Entry(
        Text(
            en="{name} cannot be {value!r}: choose one of {choices}",
            ja="{name} に「{value}」は指定できません。{choices} のどれかを選んでください",
        )
    ),
    # ---- usage reports
    "chat.usage_period_range": Entry(
        Text(
            en="the usage period is 1 to {maximum} days: choose one",
            ja="利用状況の期間は 1〜{maximum} 日の範囲で指定してください",
        )
    ),
}
