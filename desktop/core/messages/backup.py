"""Messages of encrypted backups and restore (codes start with ``backup.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

_DOCTOR_CLI = Text(en="run `kura doctor`", ja="`kura doctor` を実行してください")
_DOCTOR_GUI = Text(
    en="run `kura doctor` in a terminal", ja="ターミナルで `kura doctor` を実行してください"
)
_RESTORE_KEY_CLI = Text(
    en="give --recovery-key-stdin or --identity FILE",
    ja="--recovery-key-stdin か --identity FILE を指定してください",
)
_RESTORE_KEY_GUI = Text(
    en="enter the recovery key or choose an age identity file",
    ja="回復キーを入力するか、age の秘密鍵ファイルを選んでください",
)

MESSAGES: dict[str, Entry] = {
    # ---- what the CLI prints when it is done
    "backup.cli.done": Entry(
        Text(
            en="Backed up to {path} ({size} bytes, SHA-256 {sha256}). It opens with the "
            "workspace's current recovery key{escrow}.",
            ja="{path} にバックアップしました（{size} バイト、SHA-256 {sha256}）。"
            "ワークスペースの現在の回復キー{escrow}で開けます。",
        )
    ),
    "backup.cli.escrow": Entry(
        Text(
            en=" or the identity of one of its {count} escrow recipients",
            ja="、または {count} 件の預託先のいずれかの秘密鍵",
        )
    ),
    "backup.cli.restored": Entry(
        Text(
            en="Restored workspace {workspace_id} (backup of {created_at}) in {data_dir}.",
            ja="ワークスペース {workspace_id}（{created_at} のバックアップ）を {data_dir} に"
            "復元しました。",
        )
    ),
    "backup.cli.moved_aside": Entry(
        Text(
            en="What was there before is now in {path}.",
            ja="以前そこにあったものは {path} に移しました。",
        )
    ),
    "backup.cli.new_recovery_key": Entry(
        Text(
            en="NEW RECOVERY KEY (shown once; store it offline, e.g. printed in a safe):",
            ja="新しい回復キー（一度だけ表示します。印刷して金庫に保管するなど、"
            "オフラインで保管してください）:",
        )
    ),
    "backup.cli.old_key_void": Entry(
        Text(
            en="The recovery key of the backup does not open the restored workspace.",
            ja="バックアップの回復キーでは、復元したワークスペースは開けません。",
        )
    ),
    # ---- progress of a backup
    "backup.step.checking": Entry(
        Text(
            en="backup: checking the database and the audit log...",
            ja="バックアップ：データベースと監査ログを検査しています...",
        )
    ),
    "backup.step.snapshot": Entry(
        Text(
            en="backup: exporting an encrypted snapshot...",
            ja="バックアップ：暗号化したスナップショットを書き出しています...",
        )
    ),
    "backup.step.sealing": Entry(
        Text(
            en="backup: signing and writing the file...",
            ja="バックアップ：署名してファイルに書き込んでいます...",
        )
    ),
    # ---- making a backup
    "backup.target_exists": Entry(
        Text(
            en="{name} already exists: Kura never overwrites a backup; choose another file name",
            ja="{name} はすでに存在します。Kura はバックアップを上書きしません。"
            "別のファイル名を指定してください",
        )
    ),
    "backup.folder_missing": Entry(
        Text(
            en="the folder {folder} does not exist: create it or choose another folder",
            ja="フォルダー {folder} がありません。作成するか、別のフォルダーを選んでください",
        )
    ),
    "backup.cannot_write": Entry(
        Text(
            en="cannot write the backup in {folder} ({reason}): choose a folder you may "
            "write to, with enough free space",
            ja="{folder} にバックアップを書き込めません（{reason}）。書き込みが許可され、"
            "空き容量が十分なフォルダーを選んでください",
        )
    ),
    "backup.recipient_invalid": Entry(
        Text(
            en="{recipient!r} is not an age X25519 public key: give the age1... line that "
            "`age-keygen -y IDENTITY` prints",
            ja="「{recipient}」は age の X25519 公開鍵ではありません。"
            "`age-keygen -y IDENTITY` が表示する age1... の行を指定してください",
        )
    ),
    "backup.database_corrupt": Entry(
        Text(
            en="kura.db failed its integrity check ({problem}): nothing was backed up; {remedy}",
            ja="kura.db が整合性チェックに失敗しました（{problem}）。"
            "バックアップしていません。{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    "backup.chain_broken": Entry(
        Text(
            en="the audit log does not verify ({error}): nothing was backed up; {remedy}",
            ja="監査ログの検証に失敗しました（{error}）。バックアップしていません。{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    "backup.signing_key_missing": Entry(
        Text(
            en="the workspace's signing key is not in the OS keyring, so the backup cannot "
            "be signed: rotate the signing key (Owner), then back up again",
            ja="ワークスペースの署名鍵が OS のキーリングにないため、バックアップに署名できません。"
            "署名鍵を更新（オーナー）してから、もう一度バックアップしてください",
        )
    ),
    "backup.schedule_every_invalid": Entry(
        Text(
            en="{every!r} is not a backup interval: choose off, daily or weekly",
            ja="「{every}」はバックアップの間隔ではありません。off、daily、weekly から"
            "選んでください",
        )
    ),
    "backup.schedule_keep_invalid": Entry(
        Text(
            en="keep {keep} backups? Choose a number from 1 to {most}",
            ja="保持するバックアップの数 {keep} は使えません。1 から {most} の数を選んでください",
        )
    ),
    # ---- reading a backup
    "backup.file_unreadable": Entry(
        Text(
            en="cannot read {name} ({reason}): check the path and its permissions",
            ja="{name} を読めません（{reason}）。パスと権限を確認してください",
        )
    ),
    "backup.not_a_backup": Entry(
        Text(
            en="{name} is not a Kura backup, or it was cut short: use the complete file "
            "that `kura backup` wrote",
            ja="{name} は Kura のバックアップではないか、途中で切れています。"
            "`kura backup` が書き出した完全なファイルを使ってください",
        )
    ),
    "backup.damaged": Entry(
        Text(
            en="{name} is damaged or was altered ({reason}): nothing was restored; use "
            "another copy of the backup",
            ja="{name} は壊れているか改ざんされています（{reason}）。何も復元していません。"
            "バックアップの別のコピーを使ってください",
        )
    ),
    "backup.format_unsupported": Entry(
        Text(
            en="{name} is a Kura backup of format {version}, which this version cannot "
            "read: restore it with a newer Kura",
            ja="{name} はこのバージョンでは読めない形式 {version} の Kura バックアップです。"
            "新しい Kura で復元してください",
        )
    ),
    "backup.schema_too_new": Entry(
        Text(
            en="{name} was made by a newer Kura (schema {version}; this one knows up to "
            "{known}): nothing was restored; restore it with that version of Kura or newer",
            ja="{name} は新しい Kura で作成されています（スキーマ {version}、このバージョンは "
            "{known} まで）。何も復元していません。同じかより新しい Kura で復元してください",
        )
    ),
    "backup.key_source_required": Entry(
        Text(
            en="nothing to open the backup with: {remedy}",
            ja="バックアップを開く鍵が指定されていません。{remedy}",
        ),
        cli=_RESTORE_KEY_CLI,
        gui=_RESTORE_KEY_GUI,
    ),
    "backup.key_source_both": Entry(
        Text(
            en="give either the recovery key or an age identity, not both",
            ja="回復キーか age の秘密鍵のどちらか一方だけを指定してください",
        )
    ),
    "backup.recovery_key_wrong": Entry(
        Text(
            en="the recovery key does not open {name}: use the recovery key the workspace "
            "had when the backup was made (a rekey replaces it)",
            ja="この回復キーでは {name} を開けません。バックアップ作成時点のワークスペースの"
            "回復キーを使ってください（キーの更新で回復キーは変わります）",
        )
    ),
    "backup.no_escrow": Entry(
        Text(
            en="{name} holds no copy of its key for an age identity: restore it with the "
            "workspace's recovery key",
            ja="{name} には age の秘密鍵で開ける鍵のコピーがありません。"
            "ワークスペースの回復キーで復元してください",
        )
    ),
    "backup.identity_wrong": Entry(
        Text(
            en="the age identity does not open {name}: its key was encrypted to other "
            "recipients; use the identity file of one of them, or the recovery key",
            ja="この age の秘密鍵では {name} を開けません。鍵は別の受信者向けに暗号化されて"
            "います。その受信者の秘密鍵ファイルか、回復キーを使ってください",
        )
    ),
    "backup.identity_invalid": Entry(
        Text(
            en="{name} holds no age X25519 identity (AGE-SECRET-KEY-1...): give the file "
            "that `age-keygen` wrote",
            ja="{name} に age の X25519 秘密鍵（AGE-SECRET-KEY-1...）がありません。"
            "`age-keygen` が書き出したファイルを指定してください",
        )
    ),
    # ---- installing a restored workspace
    "backup.target_not_empty": Entry(
        Text(
            en="{folder} is not empty: restore into an empty or new folder, or {remedy}",
            ja="{folder} は空ではありません。空のフォルダーか新しいフォルダーに復元するか、"
            "{remedy}",
        ),
        cli=Text(
            en="add --move-aside to move what is there aside first",
            ja="--move-aside を付けて、今ある中身を先に別の場所へ移してください",
        ),
        gui=Text(
            en="choose to move what is there aside first",
            ja="今ある中身を先に別の場所へ移すことを選んでください",
        ),
    ),
    "backup.target_unusable": Entry(
        Text(
            en="cannot restore into {folder} ({reason}): choose a folder you may write to",
            ja="{folder} に復元できません（{reason}）。書き込みが許可されたフォルダーを"
            "選んでください",
        )
    ),
    "backup.keyring_item_exists": Entry(
        Text(
            en="the OS keyring already holds the key of workspace {workspace_id}, which is "
            "still installed on this computer: {remedy}",
            ja="OS のキーリングにはワークスペース {workspace_id} のキーがすでにあり、"
            "このコンピューターにまだインストールされています。{remedy}",
        ),
        cli=Text(
            en="restore into its folder with --move-aside, or remove that workspace first",
            ja="--move-aside を付けてそのフォルダーに復元するか、先にそのワークスペースを"
            "削除してください",
        ),
        gui=Text(
            en="restore into its folder and move it aside, or remove that workspace first",
            ja="そのフォルダーに復元して既存のものを移すか、先にそのワークスペースを"
            "削除してください",
        ),
    ),
    "backup.signer_unknown": Entry(
        Text(
            en="{name} is signed by a key that is not one of its workspace's signing keys: "
            "it was not made by that workspace; nothing was restored",
            ja="{name} はワークスペースの署名鍵ではない鍵で署名されています。"
            "そのワークスペースが作成したものではありません。何も復元していません",
        )
    ),
    "backup.contents_mismatch": Entry(
        Text(
            en="the database in {name} does not match its manifest ({what}): nothing was "
            "restored; use another copy of the backup",
            ja="{name} のデータベースがマニフェストと一致しません（{what}）。"
            "何も復元していません。バックアップの別のコピーを使ってください",
        )
    ),
    "backup.restored_corrupt": Entry(
        Text(
            en="the database in {name} fails its integrity check ({problem}): nothing was "
            "restored; use another backup",
            ja="{name} のデータベースが整合性チェックに失敗しました（{problem}）。"
            "何も復元していません。別のバックアップを使ってください",
        )
    ),
    "backup.restored_chain_broken": Entry(
        Text(
            en="the audit log in {name} does not verify ({error}): nothing was restored; "
            "use another backup",
            ja="{name} の監査ログの検証に失敗しました（{error}）。何も復元していません。"
            "別のバックアップを使ってください",
        )
    ),
}
