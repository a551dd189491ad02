"""Messages of quick chats, conversation search and files dropped on a conversation
(codes start with ``conversations.``, the area of :mod:`.conversations`)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

AREA = "conversations"

MESSAGES: dict[str, Entry] = {
    "conversations.quick_model_not_found": Entry(
        Text(
            en="no model {name!r} is registered: {remedy}",
            ja="モデル「{name}」は登録されていません。{remedy}",
        ),
        cli=Text(
            en="`kura models list` shows the registered models",
            ja="登録済みのモデルは `kura models list` で確認できます",
        ),
        gui=Text(
            en="choose one of the models the quick chat lists",
            ja="クイックチャットに表示されるモデルから選んでください",
        ),
    ),
    "conversations.search_too_long": Entry(
        Text(
            en="the search text is too long (at most {maximum} characters)",
            ja="検索する文字列が長すぎます（{maximum} 文字まで）",
        )
    ),
    "conversations.export_target": Entry(
        Text(
            en="a conversation cannot be exported as {target!r}: choose Markdown, PDF or print",
            ja="会話を「{target}」として書き出すことはできません。Markdown、PDF、印刷のいずれかを選んでください",
        )
    ),
    "conversations.no_files": Entry(
        Text(
            en="no file to add: drop one or more files on the chat",
            ja="追加するファイルがありません。チャットにファイルをドロップしてください",
        )
    ),
    "conversations.files_unavailable": Entry(
        Text(
            en="files cannot be added to conversations in this workspace: {remedy}",
            ja="このワークスペースでは会話にファイルを追加できません。{remedy}",
        ),
        cli=Text(
            en="add them to a knowledge base with `kura kb add`",
            ja="`kura kb add` でナレッジベースに追加してください",
        ),
        gui=Text(
            en="add them to a knowledge base under Knowledge",
            ja="「ナレッジ」でナレッジベースに追加してください",
        ),
    ),
}
