"""Messages of the workspace area (codes start with ``workspace.``): the data directory,
the session and workspace policies, opening and creating a workspace. The keys and the
database have their own modules in the same area (``workspace_keys``,
``workspace_database``); the remedies they share are here."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

#: Opening a workspace with its recovery key: a command; the GUI has no such screen.
RECOVER_CLI = Text(
    en="run `kura recover --recovery-key-stdin` and type the recovery key",
    ja="`kura recover --recovery-key-stdin` を実行し、リカバリーキーを入力してください",
)
RECOVER_GUI = Text(
    en="close Kura, run `kura recover --recovery-key-stdin` in a terminal and type the "
    "recovery key",
    ja="Kura を閉じ、ターミナルで `kura recover --recovery-key-stdin` を実行して"
    "リカバリーキーを入力してください",
)
#: Running the database check: a command; the GUI has none, so it names the command.
DOCTOR_CLI = Text(
    en="run `kura doctor` and restore from a backup if it reports damage",
    ja="`kura doctor` を実行し、破損が報告されたらバックアップから復元してください",
)
DOCTOR_GUI = Text(
    en="run `kura doctor` in a terminal and restore from a backup if it reports damage",
    ja="ターミナルで `kura doctor` を実行し、破損が報告されたらバックアップから復元してください",
)
#: A rekey: a command, or the button in Settings > Security (Owner).
REKEY_CLI = Text(en="run `kura rekey`", ja="`kura rekey` を実行")
REKEY_GUI = Text(
    en="use Rekey the database in Settings > Security",
    ja="設定 > セキュリティ の「データベースのキーを更新」を使用",
)


MESSAGES: dict[str, Entry] = {
    # ---- the data directory and its files
    "workspace.exists_in_folder": Entry(
        Text(
            en="a workspace already exists in {folder}: open it, or choose another data directory",
            ja="{folder} にはすでにワークスペースがあります。それを開くか、"
            "別のデータフォルダーを選んでください",
        )
    ),
    "workspace.file_exists": Entry(
        Text(
            en="{name} already exists: open the existing workspace, or choose another data "
            "directory",
            ja="{name} はすでにあります。既存のワークスペースを開くか、"
            "別のデータフォルダーを選んでください",
        )
    ),
    "workspace.created_meanwhile": Entry(
        Text(
            en="a workspace was created in {folder} at the same time: open it",
            ja="同時に {folder} にワークスペースが作成されました。そちらを開いてください",
        )
    ),
    "workspace.not_found": Entry(
        Text(
            en="no workspace in {folder} ({file} is missing): {remedy}",
            ja="{folder} にワークスペースがありません（{file} がありません）。{remedy}",
        ),
        cli=Text(
            en="run `kura init`, or pass the right --data-dir",
            ja="`kura init` を実行するか、正しい --data-dir を指定してください",
        ),
        gui=Text(
            en="start Kura again to create one, or set KURA_DATA_DIR to the right folder",
            ja="Kura を起動し直して作成するか、KURA_DATA_DIR に正しいフォルダーを設定してください",
        ),
    ),
    "workspace.database_missing": Entry(
        Text(
            en="{name} is missing: restore it from a backup, or {remedy}",
            ja="{name} がありません。バックアップから復元するか、{remedy}",
        ),
        cli=Text(
            en="run `kura init` for a new workspace",
            ja="`kura init` で新しいワークスペースを作成してください",
        ),
        gui=Text(
            en="choose another data folder for a new workspace",
            ja="別のデータフォルダーで新しいワークスペースを作成してください",
        ),
    ),
    "workspace.cannot_create": Entry(
        Text(en="cannot create {path}: {reason}", ja="{path} を作成できません: {reason}")
    ),
    "workspace.cannot_read": Entry(
        Text(en="cannot read {path}: {reason}", ja="{path} を読み込めません: {reason}")
    ),
    "workspace.cannot_read_permissions": Entry(
        Text(
            en="cannot read {path}: {reason}; check its permissions",
            ja="{path} を読み込めません: {reason}。アクセス権を確認してください",
        )
    ),
    "workspace.cannot_write": Entry(
        Text(
            en="cannot write {path}: {reason}; check free space and permissions",
            ja="{path} に書き込めません: {reason}。空き容量とアクセス権を確認してください",
        )
    ),
    "workspace.cannot_remove": Entry(
        Text(
            en="cannot remove {path}: {reason}; delete it by hand",
            ja="{path} を削除できません: {reason}。手動で削除してください",
        )
    ),
    "workspace.disk_full": Entry(
        Text(
            en="the disk holding {name} is full ({step}): free some space",
            ja="{name} のあるディスクがいっぱいです（{step}）。空き容量を増やしてください",
        )
    ),
    "workspace.cannot_read_write": Entry(
        Text(
            en="cannot read and write {name} ({step}): check the data directory's "
            "permissions and free space",
            ja="{name} を読み書きできません（{step}）。データフォルダーのアクセス権と"
            "空き容量を確認してください",
        )
    ),
    "workspace.database_busy": Entry(
        Text(
            en="{name} is in use by another program (checkpoint blocked): close other "
            "Kura windows and try again",
            ja="{name} は別のプログラムが使用中です（チェックポイントを実行できません）。"
            "他の Kura のウィンドウを閉じてから、もう一度お試しください",
        )
    ),
    # ---- the session and workspace policies
    "workspace.idle_timeout_out_of_range": Entry(
        Text(
            en="the idle timeout must be between 1 minute and 8 hours",
            ja="無操作時のロックまでの時間は 1 分から 8 時間の間にしてください",
        )
    ),
    "workspace.session_locked": Entry(
        Text(
            en="the session is locked: sign in again",
            ja="セッションがロックされています。もう一度サインインしてください",
        )
    ),
    "workspace.unknown_policy": Entry(
        Text(
            en="unknown policy {name!r}: choose one of {known}",
            ja="ポリシー「{name}」はありません。次のいずれかを選んでください: {known}",
        )
    ),
    # ---- opening and creating (the composition root)
    "workspace.cannot_look_inside": Entry(
        Text(
            en="cannot look inside {folder}: fix the permissions of it and its parents",
            ja="{folder} の中を確認できません。このフォルダーと親フォルダーのアクセス権を"
            "直してください",
        )
    ),
    "workspace.data_dir_unusable": Entry(
        Text(
            en="cannot read and write the data directory {folder}: fix its permissions (it "
            "and its parents must be accessible to you; the folder itself mode 700)",
            ja="データフォルダー {folder} を読み書きできません。アクセス権を直してください"
            "（このフォルダーと親フォルダーにアクセスでき、フォルダー自体はモード 700）",
        )
    ),
    "workspace.no_workspace_at": Entry(
        Text(
            en="no workspace at {folder}: {remedy}",
            ja="{folder} にワークスペースがありません。{remedy}",
        ),
        cli=Text(
            en="run `kura init --owner NAME --password-stdin` or pass --data-dir",
            ja="`kura init --owner NAME --password-stdin` を実行するか、--data-dir を"
            "指定してください",
        ),
        gui=Text(
            en="start Kura without --data-dir to create one, or pass the folder that holds "
            "the workspace",
            ja="--data-dir を付けずに Kura を起動して作成するか、ワークスペースのある"
            "フォルダーを指定してください",
        ),
    ),
    "workspace.data_dir_not_folder": Entry(
        Text(
            en="the data directory {folder} is not a folder: {remedy}",
            ja="データフォルダー {folder} はフォルダーではありません。{remedy}",
        ),
        cli=Text(
            en="pass the workspace folder with --data-dir",
            ja="--data-dir でワークスペースのフォルダーを指定してください",
        ),
        gui=Text(
            en="start Kura with --data-dir set to the workspace folder",
            ja="--data-dir にワークスペースのフォルダーを指定して Kura を起動してください",
        ),
    ),
    "workspace.rotation_outdated_recovery_key": Entry(
        Text(
            en="an interrupted key rotation already re-encrypted the database, so this "
            "recovery key no longer opens it: restore the keyring item of that rotation or "
            "the database backup",
            ja="中断した鍵のローテーションがすでにデータベースを再暗号化しているため、"
            "このリカバリーキーでは開けません。そのローテーションのキーリング項目か、"
            "データベースのバックアップを復元してください",
        )
    ),
    "workspace.engines_without_embedder": Entry(
        Text(
            en="these engines have no embedding model: open the workspace normally",
            ja="このエンジン構成には埋め込みモデルがありません。ワークスペースを通常どおり"
            "開いてください",
        )
    ),
    "workspace.engines_without_reranker": Entry(
        Text(
            en="these engines have no reranker: open the workspace normally",
            ja="このエンジン構成にはリランカーがありません。ワークスペースを通常どおり"
            "開いてください",
        )
    ),
    "workspace.keyslots_rolled_back": Entry(
        Text(
            en="{path} is an older copy than the one this workspace last wrote (an earlier "
            "keyslots.json was put back): {remedy}",
            ja="{path} は、このワークスペースが最後に書き込んだものより古いコピーです"
            "（以前の keyslots.json が戻されています）。{remedy}",
        ),
        cli=Text(
            en="put the current file back from a recent backup, or run `kura recover "
            "--recovery-key-stdin` to rewrite it with the recovery key",
            ja="最新のバックアップから現在のファイルを戻すか、`kura recover "
            "--recovery-key-stdin` を実行してリカバリーキーで書き直してください",
        ),
        gui=Text(
            en="close Kura and put the current file back from a recent backup, or run "
            "`kura recover --recovery-key-stdin` in a terminal",
            ja="Kura を閉じて最新のバックアップから現在のファイルを戻すか、ターミナルで "
            "`kura recover --recovery-key-stdin` を実行してください",
        ),
    ),
    "workspace.strict_rekey_recommended": Entry(
        Text(
            en="a copy of keyslots.json saved earlier still opens the database outside "
            "Kura with the old password; {remedy}",
            ja="以前に保存された keyslots.json のコピーは、古いパスワードで Kura の外から"
            "データベースを開けてしまいます。{remedy}",
        ),
        cli=Text(
            en="the Owner can run `kura rekey` to make such copies useless",
            ja="Owner が `kura rekey` を実行すると、そうしたコピーは使えなくなります",
        ),
        gui=Text(
            en="the Owner can use Rekey the database in Settings > Security to make such "
            "copies useless",
            ja="Owner が 設定 > セキュリティ の「データベースのキーを更新」を使うと、"
            "そうしたコピーは使えなくなります",
        ),
    ),
    "workspace.keyring_items_left": Entry(
        Text(
            en="keyring items of keyring mode are still in the keyring ({items}); they open "
            "nothing since the key rotation, but {remedy}",
            ja="キーリングモードのキーリング項目がまだ残っています（{items}）。鍵の更新後は"
            "何も開けませんが、{remedy}",
        ),
        cli=Text(
            en="delete them with your keyring tool (e.g. seahorse or `secret-tool clear`)",
            ja="キーリングのツール（seahorse や `secret-tool clear` など）で削除してください",
        ),
        gui=Text(
            en="delete them with your keyring tool (e.g. seahorse or `secret-tool clear`)",
            ja="キーリングのツール（seahorse や `secret-tool clear` など）で削除してください",
        ),
    ),
    "workspace.slots_not_checked": Entry(
        Text(
            en="strict unlock mode: the key slots, chain and file are not checked without a "
            "user's password; {remedy}",
            ja="厳格ロック解除モード: ユーザーのパスワードなしではキースロット、チェーン、"
            "ファイルは検査されません。{remedy}",
        ),
        cli=Text(
            en="run `kura doctor --user NAME --password-stdin`",
            ja="`kura doctor --user NAME --password-stdin` を実行してください",
        ),
        gui=Text(
            en="run `kura doctor --user NAME --password-stdin` in a terminal",
            ja="ターミナルで `kura doctor --user NAME --password-stdin` を実行してください",
        ),
    ),
}
