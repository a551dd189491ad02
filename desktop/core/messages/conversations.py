"""Messages of chat turns and one's own conversations (codes start with
``conversations.``): the message asked, the conversation and app it goes to, edits and
regenerations."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- the conversation
    "conversations.not_found": Entry(
        Text(
            en="no conversation {conversation_id}: {remedy}",
            ja="会話 {conversation_id} はありません。{remedy}",
        ),
        cli=Text(
            en="`kura conversations list`",
            ja="一覧は `kura conversations list` で確認できます",
        ),
        gui=Text(
            en="Chat lists your conversations",
            ja="自分の会話の一覧は「チャット」で確認できます",
        ),
    ),
    "conversations.title_length": Entry(
        Text(
            en="a conversation title needs 1 to 200 characters",
            ja="会話のタイトルは 1〜200 文字で入力してください",
        )
    ),
    # ---- the message asked
    "conversations.message_empty": Entry(
        Text(
            en="the message is empty: type something to ask",
            ja="メッセージが空です。質問を入力してください",
        )
    ),
    "conversations.message_too_long": Entry(
        Text(
            en="the message is too long (at most {maximum} characters)",
            ja="メッセージが長すぎます（{maximum} 文字まで）",
        )
    ),
    # ---- which app and which turn
    "conversations.app_required": Entry(
        Text(en="name the app to chat with", ja="チャットするアプリを指定してください")
    ),
    "conversations.other_app": Entry(
        Text(
            en="conversation {conversation_id} belongs to app {app!r}, not {asked!r}: {remedy}",
            ja="会話 {conversation_id} はアプリ「{app}」のもので、「{asked}」のものでは"
            "ありません。{remedy}",
        ),
        cli=Text(
            en="name that app or leave --conversation out",
            ja="そのアプリを指定するか、--conversation を付けずに実行してください",
        ),
        gui=Text(
            en="choose that app or start a new conversation",
            ja="そのアプリを選ぶか、新しい会話を始めてください",
        ),
    ),
    "conversations.model_unregistered": Entry(
        Text(
            en="the app's model is no longer registered: ask an Editor to fix it",
            ja="このアプリのモデルは登録が解除されています。編集者に修正を依頼してください",
        )
    ),
    "conversations.nothing_to_regenerate": Entry(
        Text(
            en="this conversation has no answer to regenerate yet",
            ja="この会話には、まだ再生成できる回答がありません",
        )
    ),
    "conversations.no_such_message": Entry(
        Text(
            en="conversation {conversation_id} has no current message {turn_id} to edit",
            ja="会話 {conversation_id} に編集できるメッセージ {turn_id} はありません",
        )
    ),
    "conversations.stopped_before_answer": Entry(
        Text(
            en="stopped before the answer began",
            ja="回答が始まる前に停止しました",
        )
    ),
}
