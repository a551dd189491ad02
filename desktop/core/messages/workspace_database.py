"""Messages of the workspace area about the encrypted database: opening it, its
encryption recipe and schema upgrades (codes start with ``workspace.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text
from desktop.core.messages.workspace import DOCTOR_CLI, DOCTOR_GUI

AREA = "workspace"

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
    "workspace.step.snapshotting": Entry(
        Text(
            en="exporting a snapshot for a backup", ja="バックアップ用のスナップショットの書き出し"
        )
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
    **_STEPS,
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
        cli=DOCTOR_CLI,
        gui=DOCTOR_GUI,
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
}
