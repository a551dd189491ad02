"""Messages of the repositories (``storage.``): rows that are not there, names already
taken, stored values the database should never hold."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- what a row is (a Term inside storage.row_not_found)
    "storage.what.conversation": Entry(Text(en="conversation", ja="会話")),
    "storage.what.turn": Entry(Text(en="turn", ja="ターン")),
    "storage.what.knowledge_base": Entry(Text(en="knowledge base", ja="ナレッジベース")),
    # ---- rows that are not there
    "storage.row_not_found": Entry(
        Text(
            en="{what} #{ident} not found: it was deleted, or belongs to another user",
            ja="{what} #{ident} が見つかりません。削除されたか、別のユーザーのものです",
        )
    ),
    "storage.app_not_found": Entry(
        Text(
            en="app #{app_id} not found: {remedy}",
            ja="アプリ #{app_id} が見つかりません。{remedy}",
        ),
        cli=Text(
            en="`kura apps list` shows the apps",
            ja="アプリの一覧は `kura apps list` で確認できます",
        ),
        gui=Text(
            en="the Studio lists the apps",
            ja="アプリの一覧はスタジオで確認できます",
        ),
    ),
    "storage.app_version_vanished": Entry(
        Text(
            en="app #{app_id} version {version} vanished while being written",
            ja="アプリ #{app_id} のバージョン {version} が書き込み中に消えました",
        )
    ),
    "storage.kb_not_found": Entry(
        Text(
            en="knowledge base #{kb_id} not found: {remedy}",
            ja="ナレッジベース #{kb_id} が見つかりません。{remedy}",
        ),
        cli=Text(
            en="`kura kb list` shows them",
            ja="一覧は `kura kb list` で確認できます",
        ),
        gui=Text(
            en="the Knowledge view lists them",
            ja="一覧はナレッジ画面で確認できます",
        ),
    ),
    "storage.document_not_found": Entry(
        Text(
            en="no document {name!r} in this knowledge base: {remedy}",
            ja="このナレッジベースにドキュメント「{name}」はありません。{remedy}",
        ),
        cli=Text(
            en="`kura kb docs` lists them",
            ja="一覧は `kura kb docs` で確認できます",
        ),
        gui=Text(
            en="the Knowledge view's Documents tab lists them",
            ja="一覧はナレッジ画面の「ドキュメント」タブで確認できます",
        ),
    ),
    "storage.document_version_not_found": Entry(
        Text(
            en="document {name!r} has no version {version}: {remedy}",
            ja="ドキュメント「{name}」にバージョン {version} はありません。{remedy}",
        ),
        cli=Text(
            en="`kura kb versions` lists them",
            ja="一覧は `kura kb versions` で確認できます",
        ),
        gui=Text(
            en="Versions… in the Documents tab lists them",
            ja="一覧は「ドキュメント」タブの「バージョン…」で確認できます",
        ),
    ),
    "storage.document_version_vanished": Entry(
        Text(
            en="document version #{version_id} vanished while being written",
            ja="ドキュメントのバージョン #{version_id} が書き込み中に消えました",
        )
    ),
    "storage.model_not_found": Entry(
        Text(
            en="model #{model_id} not found: {remedy}",
            ja="モデル #{model_id} が見つかりません。{remedy}",
        ),
        cli=Text(
            en="`kura models list` shows the models",
            ja="モデルの一覧は `kura models list` で確認できます",
        ),
        gui=Text(
            en="Settings > Models shows the models",
            ja="モデルの一覧は 設定 > モデル で確認できます",
        ),
    ),
    # ---- names already taken
    "storage.app_name_taken": Entry(
        Text(
            en="an app named {name!r} already exists: choose another name",
            ja="「{name}」という名前のアプリはすでにあります。別の名前を選んでください",
        )
    ),
    "storage.kb_name_taken": Entry(
        Text(
            en="a knowledge base named {name!r} already exists: choose another name",
            ja="「{name}」という名前のナレッジベースはすでにあります。別の名前を選んでください",
        )
    ),
    "storage.model_name_taken": Entry(
        Text(
            en="a model named {name!r} already exists: register this one under another name",
            ja="「{name}」という名前のモデルはすでにあります。別の名前で登録してください",
        )
    ),
    # ---- stored values Kura never writes
    "storage.not_a_json_object": Entry(
        Text(
            en="{where} does not hold a JSON object: kura.db was altered outside Kura; {remedy}",
            ja="{where} が JSON オブジェクトではありません。kura.db が Kura の外で"
            "書き換えられています。{remedy}",
        ),
        cli=Text(
            en="run `kura doctor` and restore from a backup",
            ja="`kura doctor` を実行し、バックアップから復元してください",
        ),
        gui=Text(
            en="run `kura doctor` in a terminal and restore from a backup",
            ja="ターミナルで `kura doctor` を実行し、バックアップから復元してください",
        ),
    ),
    "storage.not_a_json_array": Entry(
        Text(
            en="{where} does not hold a JSON array: kura.db was altered outside Kura; {remedy}",
            ja="{where} が JSON 配列ではありません。kura.db が Kura の外で"
            "書き換えられています。{remedy}",
        ),
        cli=Text(
            en="run `kura doctor` and restore from a backup",
            ja="`kura doctor` を実行し、バックアップから復元してください",
        ),
        gui=Text(
            en="run `kura doctor` in a terminal and restore from a backup",
            ja="ターミナルで `kura doctor` を実行し、バックアップから復元してください",
        ),
    ),
    # ---- a new file the user asked for (an exported bundle): the remedy is another
    # --out for the CLI, another file or folder in the GUI's save dialog
    "storage.new_file_exists": Entry(
        Text(
            en="{path} already exists: {remedy}",
            ja="{path} はすでにあります。{remedy}",
        ),
        cli=Text(en="choose another --out name", ja="--out に別の名前を指定してください"),
        gui=Text(en="choose another file name", ja="別のファイル名を選んでください"),
    ),
    "storage.new_file_no_folder": Entry(
        Text(
            en="no such folder: {folder}: {remedy}",
            ja="フォルダー {folder} がありません。{remedy}",
        ),
        cli=Text(
            en="create it or choose another --out",
            ja="作成するか、--out に別の場所を指定してください",
        ),
        gui=Text(
            en="create it or choose another folder",
            ja="作成するか、別のフォルダーを選んでください",
        ),
    ),
    "storage.new_file_failed": Entry(
        Text(
            en="cannot write {path} ({reason}): {remedy}",
            ja="{path} に書き込めません（{reason}）。{remedy}",
        ),
        cli=Text(en="choose another --out", ja="--out に別の場所を指定してください"),
        gui=Text(en="choose another folder", ja="別のフォルダーを選んでください"),
    ),
}
