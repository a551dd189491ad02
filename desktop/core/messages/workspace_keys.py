"""Messages of the workspace area about its keys: the key slots file, keys in the OS
keyring, the recovery key and rekeying (codes start with ``workspace.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text
from desktop.core.messages.workspace import (
    RECOVER_CLI,
    RECOVER_GUI,
    REKEY_CLI,
    REKEY_GUI,
)

AREA = "workspace"

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

MESSAGES: dict[str, Entry] = {
    **_GET_A_KEYRING,
    **_REFUSAL_REASONS,
    **_KEYRING_ACTIONS,
    # ---- the key slots file
    "workspace.keyslots_damaged": Entry(
        Text(
            en="{path} is damaged ({reason}): restore it from a backup; the workspace "
            "cannot be opened without it",
            ja="{path} が壊れています（{reason}）。バックアップから復元してください。"
            "このファイルがないとワークスペースを開けません",
        )
    ),
    "workspace.keyslots_tampered": Entry(
        Text(
            en="{path} was altered outside Kura (its slots do not match their "
            "authentication code): {remedy}",
            ja="{path} が Kura の外で書き換えられています（スロットが認証コードと"
            "一致しません）。{remedy}",
        ),
        cli=Text(
            en="restore it from a backup, or run `kura recover --recovery-key-stdin` to "
            "rewrite it with the recovery key",
            ja="バックアップから復元するか、`kura recover --recovery-key-stdin` を実行して"
            "リカバリーキーで書き直してください",
        ),
        gui=Text(
            en="close Kura and restore it from a backup, or run `kura recover "
            "--recovery-key-stdin` in a terminal to rewrite it with the recovery key",
            ja="Kura を閉じてバックアップから復元するか、ターミナルで `kura recover "
            "--recovery-key-stdin` を実行してリカバリーキーで書き直してください",
        ),
    ),
    "workspace.strict_password_required": Entry(
        Text(
            en="this workspace is in strict unlock mode: only a user's password opens it; {remedy}",
            ja="このワークスペースは厳格ロック解除モードです。ユーザーのパスワードでしか"
            "開けません。{remedy}",
        ),
        cli=Text(
            en="add `--user NAME` (and `--password-stdin`, or type it at the prompt)",
            ja="`--user NAME` を付けてください（`--password-stdin` を付けるか、"
            "プロンプトで入力してください）",
        ),
        gui=Text(
            en="sign in with your user name and password",
            ja="ユーザー名とパスワードでサインインしてください",
        ),
    ),
    "workspace.strict_sign_in_failed": Entry(
        Text(
            en="the user name or password is wrong (in strict unlock mode only a user's "
            "own password opens the workspace): check both and try again",
            ja="ユーザー名かパスワードが違います（厳格ロック解除モードでは、ユーザー本人の"
            "パスワードでしかワークスペースを開けません）。両方を確かめてやり直してください",
        )
    ),
    "workspace.strict_needs_password": Entry(
        Text(
            en="strict unlock needs your own password (your key slot is wrapped under "
            "it): type the password you sign in with",
            ja="厳格ロック解除にはご自身のパスワードが必要です（キースロットはその"
            "パスワードで包まれます）。サインインに使うパスワードを入力してください",
        )
    ),
    "workspace.strict_users_without_slot": Entry(
        Text(
            en="these users have no key slot yet and cannot open the workspace until "
            "their password is reset: {users}; {remedy}",
            ja="次のユーザーにはまだキースロットがなく、パスワードがリセットされるまで"
            "ワークスペースを開けません: {users}。{remedy}",
        ),
        cli=Text(
            en="an Admin runs `kura users reset-password NAME` for each",
            ja="管理者がそれぞれについて `kura users reset-password NAME` を実行してください",
        ),
        gui=Text(
            en="an Admin resets each password in Members",
            ja="管理者が「メンバー」画面でそれぞれのパスワードをリセットしてください",
        ),
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
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
    ),
    "workspace.keyring_key_wrong_pending": Entry(
        Text(
            en="the key in the OS keyring does not open the pending rekey of workspace "
            "{workspace_id}: {remedy}",
            ja="OS のキーリングにあるキーでは、ワークスペース {workspace_id} の"
            "途中のキー更新を開けません。{remedy}",
        ),
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
    ),
    "workspace.keyring_key_unusable": Entry(
        Text(
            en="{error}: {remedy}",
            ja="{error}。このキーは使えないため、{remedy}",
        ),
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
    ),
    "workspace.key_item_missing": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id}; Kura "
            "never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）にワークスペース {workspace_id} のキーが"
            "ありません。Kura が新しいキーを作ることはありません。{remedy}",
        ),
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
    ),
    "workspace.key_item_missing_moved": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id} (the "
            "key was stored in {stored_in}); Kura never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）にワークスペース {workspace_id} のキーが"
            "ありません（キーは {stored_in} に保存されていました）。Kura が新しいキーを"
            "作ることはありません。{remedy}",
        ),
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
    ),
    "workspace.pending_key_item_missing": Entry(
        Text(
            en="the OS keyring ({backend}) has no key for workspace {workspace_id} for the "
            "interrupted rekey; Kura never makes a new one: {remedy}",
            ja="OS のキーリング（{backend}）に、ワークスペース {workspace_id} の中断した"
            "キー更新のキーがありません。Kura が新しいキーを作ることはありません。{remedy}",
        ),
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
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
        cli=RECOVER_CLI,
        gui=RECOVER_GUI,
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
        cli=REKEY_CLI,
        gui=REKEY_GUI,
    ),
    "workspace.no_rekey_pending": Entry(
        Text(
            en="no rekey is in progress: {remedy} to start one",
            ja="進行中のキー更新はありません。開始するには{remedy}してください",
        ),
        cli=REKEY_CLI,
        gui=REKEY_GUI,
    ),
}
