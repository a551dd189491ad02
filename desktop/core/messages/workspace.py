"""Messages of the workspace area (codes start with ``workspace.``): the data directory,
the keys and the OS keyring, the recovery key, the encrypted database and its recipe,
schema upgrades, the session and workspace policies."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

#: Opening a workspace with its recovery key: a command; the GUI has no such screen.
_RECOVER_CLI = Text(
    en="run `kura recover --recovery-key-stdin` and type the recovery key",
    ja="`kura recover --recovery-key-stdin` を実行し、リカバリーキーを入力してください",
)
_RECOVER_GUI = Text(
    en="close Kura, run `kura recover --recovery-key-stdin` in a terminal and type the "
    "recovery key",
    ja="Kura を閉じ、ターミナルで `kura recover --recovery-key-stdin` を実行して"
    "リカバリーキーを入力してください",
)
#: Running the database check: a command; the GUI has none, so it names the command.
_DOCTOR_CLI = Text(
    en="run `kura doctor` and restore from a backup if it reports damage",
    ja="`kura doctor` を実行し、破損が報告されたらバックアップから復元してください",
)
_DOCTOR_GUI = Text(
    en="run `kura doctor` in a terminal and restore from a backup if it reports damage",
    ja="ターミナルで `kura doctor` を実行し、破損が報告されたらバックアップから復元してください",
)
#: A rekey: a command, or the button in Settings > Security (Owner).
_REKEY_CLI = Text(en="run `kura rekey`", ja="`kura rekey` を実行")
_REKEY_GUI = Text(
    en="use Rekey the database in Settings > Security",
    ja="設定 > セキュリティ の「データベースのキーを更新」を使用",
)

#: Getting a working OS keyring, per platform (a Term, ends in a て-form in Japanese).
_GET_A_KEYRING = {
    "workspace.keyring_get.macos": Entry(
        Text(
            en="unlock the login keychain in Keychain Access",
            ja="キーチェーンアクセスでログインキーチェーンのロックを解除して",
        )
    ),
    "workspace.keyring_get.windows": Entry(
        Text(
            en="use the Windows Credential Manager of a normal desktop session",
            ja="通常のデスクトップセッションで Windows 資格情報マネージャーを使って",
        )
    ),
    "workspace.keyring_get.secret_service": Entry(
        Text(
            en="run gnome-keyring or KWallet (Secret Service) in your desktop session",
            ja="デスクトップセッションで gnome-keyring か KWallet（Secret Service）を動かして",
        )
    ),
}

#: Why a forced keyring backend is refused (a Term; a verb phrase in both languages).
_REFUSAL_REASONS = {
    "workspace.keyring_refusal.plaintext": Entry(
        Text(en="stores secrets in plain text", ja="秘密情報を平文で保存する")
    ),
    "workspace.keyring_refusal.outside": Entry(
        Text(
            en="keeps secrets in a file outside the OS keyring",
            ja="秘密情報を OS のキーリングの外のファイルに保存する",
        )
    ),
    "workspace.keyring_refusal.nothing": Entry(Text(en="stores nothing", ja="何も保存しない")),
    "workspace.keyring_refusal.chainer": Entry(
        Text(
            en="chains other backends and may fall back to an insecure one",
            ja="他のバックエンドを連結し、安全でないものに切り替わるおそれがある",
        )
    ),
}

#: What Kura asked the keyring to do (a Term, a noun in Japanese).
_KEYRING_ACTIONS = {
    "workspace.keyring_action.read": Entry(Text(en="read", ja="読み出し")),
    "workspace.keyring_action.store": Entry(Text(en="store", ja="保存")),
    "workspace.keyring_action.delete": Entry(Text(en="delete", ja="削除")),
    "workspace.keyring_action.unlock": Entry(Text(en="unlock", ja="ロック解除")),
}

#: The step of opening or using the database that failed (a Term, a noun in Japanese).
_STEPS = {
    "workspace.step.opening_file": Entry(Text(en="opening the file", ja="ファイルのオープン")),
    "workspace.step.reading_schema": Entry(Text(en="reading the schema", ja="スキーマの読み込み")),
    "workspace.step.setting_recipe": Entry(
        Text(en="setting the connection recipe", ja="接続設定の適用")
    ),
    "workspace.step.applying_key": Entry(Text(en="applying the key", ja="キーの適用")),
    "workspace.step.checking_file": Entry(Text(en="checking the file", ja="ファイルの検査")),
    "workspace.step.upgrading_schema": Entry(Text(en="upgrading the schema", ja="スキーマの更新")),
    "workspace.step.transaction": Entry(
        Text(en="a database transaction", ja="データベースのトランザクション")
    ),
    "workspace.step.checkpointing": Entry(
        Text(en="checkpointing the database", ja="データベースのチェックポイント処理")
    ),
    "workspace.step.reading_schema_version": Entry(
        Text(en="reading the schema version", ja="スキーマバージョンの読み込み")
    ),
    "workspace.step.reading_recipe": Entry(
        Text(en="reading the connection recipe", ja="接続設定の読み込み")
    ),
    "workspace.step.verifying_audit_log": Entry(
        Text(en="verifying the audit log", ja="監査ログの検証")
    ),
    "workspace.step.reencrypting": Entry(
        Text(en="re-encrypting the database", ja="データベースの再暗号化")
    ),
}

MESSAGES: dict[str, Entry] = {
    **_GET_A_KEYRING,
    **_REFUSAL_REASONS,
    **_KEYRING_ACTIONS,
    **_STEPS,
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
    # ---- the key slots file
    "workspace.keyslots_damaged": Entry(
        Text(
            en="{path} is damaged ({reason}): restore it from a backup; the workspace "
            "cannot be opened without it",
            ja="{path} が壊れています（{reason}）。バックアップから復元してください。"
            "このファイルがないとワークスペースを開けません",
        )
    ),
    "workspace.keyslots_too_new": Entry(
        Text(
            en="keyslots.json has format version {version}, newer than this Kura "
            "understands ({supported}): upgrade Kura",
            ja="keyslots.json の形式バージョン {version} は、この Kura が扱える"
            "バージョン（{supported}）より新しいものです。Kura を更新してください",
        )
    ),
    # ---- keys in the OS keyring
    "workspace.keyring_item_exists": Entry(
        Text(
            en="the OS keyring already holds a key for workspace {workspace_id}: Kura will "
            "not overwrite it; use another workspace id",
            ja="OS のキーリングにはワークスペース {workspace_id} のキーがすでにあります。"
            "Kura はこれを上書きしません。別のワークスペース ID を使ってください",
        )
    ),
    "workspace.keyring_key_wrong": Entry(
        Text(
            en="the key in the OS keyring does not open workspace {workspace_id}: {remedy}",
            ja="OS のキーリングにあるキーではワークスペース {workspace_id} を開けません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.keyring_key_wrong_pending": Entry(
        Text(
            en="the key in the OS keyring does not open the pending rekey of workspace "
            "{workspace_id}: {remedy}",
            ja="OS のキーリングにあるキーでは、ワークスペース {workspace_id} の"
            "途中のキー更新を開けません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.keyring_key_unusable": Entry(
        Text(
            en="{error}: {remedy}",
            ja="{error}。このキーは使えないため、{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.key_item_missing": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id}; Kura "
            "never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）にワークスペース {workspace_id} のキーが"
            "ありません。Kura が新しいキーを作ることはありません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.key_item_missing_moved": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id} (the "
            "key was stored in {stored_in}); Kura never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）にワークスペース {workspace_id} のキーが"
            "ありません（キーは {stored_in} に保存されていました）。Kura が新しいキーを"
            "作ることはありません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.pending_key_item_missing": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id} for the "
            "interrupted rekey; Kura never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）に、ワークスペース {workspace_id} の中断した"
            "キー更新のキーがありません。Kura が新しいキーを作ることはありません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.pending_key_item_missing_moved": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id} for the "
            "interrupted rekey (the key was stored in {stored_in}); Kura never makes a new "
            "one: {remedy}",
            ja="OS のキーリング（{backend}）に、ワークスペース {workspace_id} の中断した"
            "キー更新のキーがありません（キーは {stored_in} に保存されていました）。"
            "Kura が新しいキーを作ることはありません。{remedy}",
        ),
        cli=_RECOVER_CLI,
        gui=_RECOVER_GUI,
    ),
    "workspace.keyring_item_damaged": Entry(
        Text(
            en="the OS keyring item {item!r} of service {service!r} is damaged (it is not "
            "a Kura secret)",
            ja="OS のキーリングにあるサービス「{service}」の項目「{item}」が壊れています"
            "（Kura の秘密情報ではありません）",
        )
    ),
    "workspace.keyring_backend_refused_env": Entry(
        Text(
            en="the keyring backend {name} {reason} and is refused; unset "
            "PYTHON_KEYRING_BACKEND and {get}",
            ja="キーリングのバックエンド {name} は{reason}ため使用できません。"
            "環境変数 PYTHON_KEYRING_BACKEND を外し、{get}ください",
        )
    ),
    "workspace.keyring_backend_refused_config": Entry(
        Text(
            en="the keyring backend {name} {reason} and is refused; remove it from "
            "{source} and {get}",
            ja="キーリングのバックエンド {name} は{reason}ため使用できません。"
            "{source} からその指定を削除し、{get}ください",
        )
    ),
    "workspace.keyring_backend_not_allowed_env": Entry(
        Text(
            en="the keyring backend {name} is not an OS keyring Kura allows ({allowed}) "
            "and is refused; unset PYTHON_KEYRING_BACKEND and {get}",
            ja="キーリングのバックエンド {name} は Kura が認める OS のキーリング"
            "（{allowed}）ではないため使用できません。環境変数 PYTHON_KEYRING_BACKEND を"
            "外し、{get}ください",
        )
    ),
    "workspace.keyring_backend_not_allowed_config": Entry(
        Text(
            en="the keyring backend {name} is not an OS keyring Kura allows ({allowed}) "
            "and is refused; remove it from {source} and {get}",
            ja="キーリングのバックエンド {name} は Kura が認める OS のキーリング"
            "（{allowed}）ではないため使用できません。{source} からその指定を削除し、"
            "{get}ください",
        )
    ),
    "workspace.no_secret_service": Entry(
        Text(
            en="no Secret Service is running ({reason}): install and start gnome-keyring "
            "(or KWallet) in your desktop session, then try again",
            ja="Secret Service が動いていません（{reason}）。デスクトップセッションで "
            "gnome-keyring（または KWallet）をインストールして起動してから、"
            "もう一度お試しください",
        )
    ),
    "workspace.keyring_unavailable": Entry(
        Text(
            en="the OS keyring {name} is unavailable ({reason}): {get}, then try again",
            ja="OS のキーリング {name} を使用できません（{reason}）。{get}から、"
            "もう一度お試しください",
        )
    ),
    "workspace.keyring_failed": Entry(
        Text(
            en="the OS keyring ({backend}) could not {action} a Kura secret ({reason}): "
            "{get}, then try again",
            ja="OS のキーリング（{backend}）で Kura の秘密情報の{action}に失敗しました"
            "（{reason}）。{get}から、もう一度お試しください",
        )
    ),
    "workspace.keyring_locked": Entry(
        Text(
            en="the OS keyring ({backend}) is locked: unlock it (log in to the desktop, or "
            "unlock the login keyring) and try again",
            ja="OS のキーリング（{backend}）がロックされています。ロックを解除して"
            "（デスクトップにログインするか、ログインキーリングのロックを解除して）から、"
            "もう一度お試しください",
        )
    ),
    "workspace.keyring_locked_unanswered": Entry(
        Text(
            en="the OS keyring ({backend}) is locked and its unlock prompt was not "
            "answered: unlock it (log in to the desktop, or unlock the login keyring) and "
            "try again",
            ja="OS のキーリング（{backend}）がロックされていて、ロック解除の確認に応答が"
            "ありませんでした。ロックを解除して（デスクトップにログインするか、"
            "ログインキーリングのロックを解除して）から、もう一度お試しください",
        )
    ),
    "workspace.keyring_locked_dismissed": Entry(
        Text(
            en="the OS keyring ({backend}) is locked and the unlock prompt was dismissed: "
            "unlock it (log in to the desktop, or unlock the login keyring) and try again",
            ja="OS のキーリング（{backend}）がロックされていて、ロック解除の確認が"
            "閉じられました。ロックを解除して（デスクトップにログインするか、"
            "ログインキーリングのロックを解除して）から、もう一度お試しください",
        )
    ),
    # ---- the recovery key
    "workspace.recovery_key_wrong": Entry(
        Text(
            en="this recovery key does not open workspace {workspace_id}: use the key "
            "printed when the workspace was created or last rekeyed",
            ja="このリカバリーキーではワークスペース {workspace_id} を開けません。"
            "ワークスペースの作成時か前回のキー更新時に表示されたキーを使ってください",
        )
    ),
    "workspace.recovery_key_length": Entry(
        Text(
            en="the recovery key is mistyped: it has {count} characters, not {expected}; "
            "check each group against the printed key",
            ja="リカバリーキーの入力に誤りがあります: {count} 文字あります（正しくは "
            "{expected} 文字）。各グループを控えたキーと照らし合わせてください",
        )
    ),
    "workspace.recovery_key_bad_character": Entry(
        Text(
            en="the recovery key is mistyped: group {group} has a character that is never "
            "used; check each group against the printed key",
            ja="リカバリーキーの入力に誤りがあります: グループ {group} にキーでは使われない"
            "文字があります。各グループを控えたキーと照らし合わせてください",
        )
    ),
    "workspace.recovery_key_checksum": Entry(
        Text(
            en="the recovery key is mistyped: its checksum does not match; check each "
            "group against the printed key",
            ja="リカバリーキーの入力に誤りがあります: チェックサムが一致しません。"
            "各グループを控えたキーと照らし合わせてください",
        )
    ),
    # ---- rekey
    "workspace.rekey_interrupted": Entry(
        Text(
            en="an earlier rekey was interrupted: open the workspace once to finish or "
            "roll it back, then try again",
            ja="以前のキー更新が中断されています。一度ワークスペースを開いて完了または"
            "取り消しをしてから、もう一度お試しください",
        )
    ),
    "workspace.rekey_interrupted_rekey": Entry(
        Text(
            en="an earlier rekey was interrupted: open the workspace once to finish or "
            "roll it back, then {remedy} again",
            ja="以前のキー更新が中断されています。一度ワークスペースを開いて完了または"
            "取り消しをしてから、もう一度{remedy}してください",
        ),
        cli=_REKEY_CLI,
        gui=_REKEY_GUI,
    ),
    "workspace.no_rekey_pending": Entry(
        Text(
            en="no rekey is in progress: {remedy} to start one",
            ja="進行中のキー更新はありません。開始するには{remedy}してください",
        ),
        cli=_REKEY_CLI,
        gui=_REKEY_GUI,
    ),
    # ---- the database and its encryption recipe
    "workspace.key_wrong_size": Entry(
        Text(
            en="the database key must be exactly {expected} bytes (got {size}): the key "
            "slot is damaged; {remedy}",
            ja="データベースのキーはちょうど {expected} バイトでなければなりません"
            "（{size}）。キースロットが壊れています。{remedy}",
        ),
        cli=Text(
            en="run `kura recover` with the recovery key",
            ja="リカバリーキーを使って `kura recover` を実行してください",
        ),
        gui=Text(
            en="close Kura and run `kura recover` in a terminal with the recovery key",
            ja="Kura を閉じ、ターミナルでリカバリーキーを使って `kura recover` を実行してください",
        ),
    ),
    "workspace.database_wrong_key": Entry(
        Text(
            en="{name} cannot be decrypted with this key: the file is damaged or belongs "
            "to another key; restore it from a backup or {remedy}",
            ja="このキーでは {name} を復号できません。ファイルが壊れているか、別のキーの"
            "ものです。バックアップから復元するか、{remedy}",
        ),
        cli=Text(en="run `kura recover`", ja="`kura recover` を実行してください"),
        gui=Text(
            en="close Kura and run `kura recover` in a terminal",
            ja="Kura を閉じてターミナルで `kura recover` を実行してください",
        ),
    ),
    "workspace.database_empty": Entry(
        Text(
            en="{name} is empty (0 bytes): restore it from a backup",
            ja="{name} が空です（0 バイト）。バックアップから復元してください",
        )
    ),
    "workspace.database_damaged": Entry(
        Text(
            en="{name} is damaged ({step} failed): restore it from a backup",
            ja="{name} が壊れています（{step}に失敗しました）。バックアップから復元してください",
        )
    ),
    "workspace.database_page_unauthentic": Entry(
        Text(
            en="{name} is damaged ({step} met a page that fails authentication): restore "
            "it from a backup",
            ja="{name} が壊れています（{step}の途中で認証に失敗するページがありました）。"
            "バックアップから復元してください",
        )
    ),
    "workspace.database_failed": Entry(
        Text(
            en="{name} failed during {step}: {remedy}, or restore it from a backup",
            ja="{name} の{step}中にエラーが起きました。{remedy}、バックアップから復元してください",
        ),
        cli=Text(en="run `kura doctor`", ja="`kura doctor` を実行するか"),
        gui=Text(
            en="run `kura doctor` in a terminal",
            ja="ターミナルで `kura doctor` を実行するか",
        ),
    ),
    "workspace.database_truncated": Entry(
        Text(
            en="{name} is truncated or damaged ({reason}): restore it from a backup",
            ja="{name} が途中で切れているか壊れています（{reason}）。バックアップから"
            "復元してください",
        )
    ),
    "workspace.database_partial_page": Entry(
        Text(
            en="{name} is truncated or damaged ({size} bytes is not a whole number of "
            "pages): restore it from a backup",
            ja="{name} が途中で切れているか壊れています（{size} バイトはページ単位の"
            "大きさではありません）。バックアップから復元してください",
        )
    ),
    "workspace.database_shorter_than_header": Entry(
        Text(
            en="{name} is truncated or damaged (it is shorter than its header says, or a "
            "page is damaged): restore it from a backup",
            ja="{name} が途中で切れているか壊れています（ヘッダーの示す大きさより短いか、"
            "ページが壊れています）。バックアップから復元してください",
        )
    ),
    "workspace.database_not_page_multiple": Entry(
        Text(
            en="{name} is truncated or damaged ({size} bytes is not a multiple of the "
            "{page_size}-byte page): restore it from a backup",
            ja="{name} が途中で切れているか壊れています（{size} バイトは {page_size} "
            "バイトのページの倍数ではありません）。バックアップから復元してください",
        )
    ),
    "workspace.database_size_mismatch": Entry(
        Text(
            en="{name} is truncated or damaged ({size} bytes on disk, {expected} "
            "expected): restore it from a backup",
            ja="{name} が途中で切れているか壊れています（ディスク上は {size} バイト、"
            "本来は {expected} バイト）。バックアップから復元してください",
        )
    ),
    "workspace.rekey_unproven": Entry(
        Text(
            en="{name} does not open with the new key after rekey: keep the old key slot, {remedy}",
            ja="キー更新後、{name} が新しいキーで開けません。古いキースロットは残したまま、"
            "{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    "workspace.driver_missing": Entry(
        Text(
            en="the SQLCipher driver (sqlcipher3-binary) is not installed: reinstall "
            "Kura; it never opens its database without encryption",
            ja="SQLCipher のドライバー（sqlcipher3-binary）がインストールされていません。"
            "Kura を再インストールしてください。Kura はデータベースを暗号化なしで開くことは"
            "ありません",
        )
    ),
    "workspace.driver_not_sqlcipher": Entry(
        Text(
            en="the database driver is not SQLCipher (cipher_version is empty): reinstall "
            "Kura; it never opens its database without encryption",
            ja="データベースのドライバーが SQLCipher ではありません（cipher_version が"
            "空です）。Kura を再インストールしてください。Kura はデータベースを暗号化なしで"
            "開くことはありません",
        )
    ),
    "workspace.sqlcipher_unsupported": Entry(
        Text(
            en="SQLCipher {version} is not supported (cipher_version must be 4.x): "
            "reinstall Kura with its bundled SQLCipher 4",
            ja="SQLCipher {version} には対応していません（cipher_version は 4.x である"
            "必要があります）。同梱の SQLCipher 4 ごと Kura を再インストールしてください",
        )
    ),
    "workspace.recipe_setting_wrong": Entry(
        Text(
            en="the connection setting {name} reads back {actual!r}, not {expected!r}: "
            "Kura refuses to open the database with this driver; reinstall Kura",
            ja="接続設定 {name} の値が {expected!r} ではなく {actual!r} になっています。"
            "このドライバーではデータベースを開けません。Kura を再インストールしてください",
        )
    ),
    "workspace.sqlcipher3_file": Entry(
        Text(
            en="{name} is an SQLCipher 3 database: Kura opens only SQLCipher 4 files; "
            "restore a backup made by Kura",
            ja="{name} は SQLCipher 3 のデータベースです。Kura が開けるのは SQLCipher 4 の"
            "ファイルだけです。Kura で作ったバックアップを復元してください",
        )
    ),
    # ---- schema upgrades
    "workspace.schema_too_new": Entry(
        Text(
            en="kura.db was written by a newer version of Kura (it has upgrade steps "
            "{steps} that this version does not know): install that version or a newer "
            "one to open it",
            ja="kura.db は新しいバージョンの Kura で書かれています（このバージョンが知らない"
            "更新ステップ {steps} があります）。開くには、そのバージョン以降の Kura を"
            "インストールしてください",
        )
    ),
    "workspace.migration_step_failed": Entry(
        Text(
            en="upgrade step {name} failed and was rolled back: {kind}: {reason}",
            ja="更新ステップ {name} が失敗したため、元に戻しました: {kind}: {reason}",
        )
    ),
    "workspace.migration_restored": Entry(
        Text(
            en="{name} could not be upgraded ({reason}); it was restored unchanged from "
            "the copy made before the upgrade: keep using the previous version of Kura and "
            "report this error",
            ja="{name} を更新できませんでした（{reason}）。更新前に作ったコピーから"
            "元の状態に戻しました。以前のバージョンの Kura を使い続け、このエラーを"
            "報告してください",
        )
    ),
    "workspace.migration_restore_failed": Entry(
        Text(
            en="{name} could not be upgraded ({reason}) and restoring it failed "
            "({restore_reason}): close Kura, then copy {backup} over {name} to recover",
            ja="{name} を更新できず（{reason}）、元に戻すこともできませんでした"
            "（{restore_reason}）。Kura を閉じてから、{backup} を {name} に上書きコピーして"
            "復旧してください",
        )
    ),
    "workspace.migration_unexpected_turns": Entry(
        Text(
            en="the turns table is not as m0002 made it: restore a backup",
            ja="turns テーブルが m0002 で作られた形になっていません。バックアップを"
            "復元してください",
        )
    ),
    "workspace.migration_check_failed": Entry(
        Text(
            en="the schema check failed after {step}: {problems}",
            ja="{step} の後のスキーマ検査に失敗しました: {problems}",
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
}
