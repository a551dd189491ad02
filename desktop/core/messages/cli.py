"""Messages of the command line itself (``cli.``): its options, standard input, and the
lines it prints around a service's result. Only the CLI shows them, so a remedy here is
always a command or an option and needs no GUI wording."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- what a secret prompt or standard input is expected to give (rendered as {what})
    "cli.what.password_for": Entry(Text(en="password for {user}", ja="{user} のパスワード")),
    "cli.what.code_for": Entry(
        Text(
            en="one-time code for {user} (authenticator or recovery)",
            ja="{user} のワンタイムコード（認証アプリのコードまたは回復コード）",
        )
    ),
    "cli.what.new_owner_password": Entry(
        Text(en="new Owner password", ja="オーナーの新しいパスワード")
    ),
    "cli.what.new_password_for": Entry(
        Text(en="the new password for {user}", ja="{user} の新しいパスワード")
    ),
    "cli.what.new_password_for_next_line": Entry(
        Text(
            en="the new password for {user} (next line)",
            ja="{user} の新しいパスワード（次の行）",
        )
    ),
    "cli.what.value_to_prove": Entry(
        Text(en="the value to disclose (next line)", ja="開示する値（次の行）")
    ),
    "cli.what.recovery_key": Entry(Text(en="the recovery key", ja="リカバリーキー")),
    "cli.what.message": Entry(Text(en="the message", ja="メッセージ")),
    # ---- standard input, the terminal and the acting user
    "cli.stdin_empty": Entry(
        Text(
            en="expected {what} on standard input, found nothing",
            ja="{what}を標準入力から読み取れませんでした（何も入力されていません）",
        )
    ),
    "cli.no_terminal": Entry(
        Text(
            en="no terminal to ask for {what}: pass --password-stdin",
            ja="{what}を入力する端末がありません。--password-stdin を付けて標準入力から"
            "渡してください",
        )
    ),
    "cli.user_required": Entry(
        Text(
            en="this command acts as a user: pass --user NAME",
            ja="このコマンドはユーザーとして実行します。--user NAME を指定してください",
        )
    ),
    "cli.recovery_key_stdin_required": Entry(
        Text(
            en="pass --recovery-key-stdin and type the recovery key on standard input",
            ja="--recovery-key-stdin を付けて、リカバリーキーを標準入力から入力してください",
        )
    ),
    # ---- options
    "cli.key_value_malformed": Entry(
        Text(
            en="{option} must look like NAME=VALUE, got {pair!r}",
            ja="{option} は NAME=VALUE の形で指定してください（指定された値: {pair}）",
        )
    ),
    "cli.unknown_param": Entry(
        Text(
            en="unknown parameter {name!r} (known: {known})",
            ja="パラメーター「{name}」はありません（指定できるもの: {known}）",
        )
    ),
    "cli.param_not_number": Entry(
        Text(
            en="--param {name} needs a number, got {value!r}",
            ja="--param {name} には数値を指定してください（指定された値: {value}）",
        )
    ),
    "cli.kb_id_required": Entry(
        Text(
            en="--kb takes a knowledge base id for now, got {value!r}",
            ja="--kb には現在ナレッジベースの ID（数字）を指定してください"
            "（指定された値: {value}）",
        )
    ),
    "cli.days_invalid": Entry(
        Text(
            en="--days takes a number of days or 'keep', not {value!r}",
            ja="--days には日数か 'keep' を指定してください（指定された値: {value}）",
        )
    ),
    "cli.apps_create_needs_name_and_model": Entry(
        Text(
            en="apps create needs --name and --model",
            ja="apps create には --name と --model が必要です",
        )
    ),
    "cli.nothing_to_change": Entry(
        Text(
            en="nothing to change: pass at least one option to edit",
            ja="変更する内容がありません。変更するオプションを少なくとも 1 つ指定してください",
        )
    ),
    "cli.models_nothing_to_change": Entry(
        Text(
            en="nothing to change: pass --gpu-layers, --threads, --ctx or --batch",
            ja="変更する内容がありません。--gpu-layers、--threads、--ctx、--batch の"
            "いずれかを指定してください",
        )
    ),
    # ---- files named on the command line
    "cli.no_such_path": Entry(
        Text(
            en="no such file or folder: {path}",
            ja="ファイルまたはフォルダーが見つかりません: {path}",
        )
    ),
    "cli.cannot_read_path": Entry(
        Text(en="cannot read {path}: {reason}", ja="{path} を読み込めません: {reason}")
    ),
    "cli.cannot_read_option_file": Entry(
        Text(
            en="cannot read {option} {path}: {reason}",
            ja="{option} に指定した {path} を読み込めません: {reason}",
        )
    ),
    "cli.no_such_bundle": Entry(
        Text(en="no such bundle: {path}", ja="バンドルが見つかりません: {path}")
    ),
    "cli.fingerprint_invalid": Entry(
        Text(
            en="--fingerprint {value} is not a key fingerprint: give it as SHA256: and 43"
            " characters, as `kura logs pubkey` or `ssh-keygen -lf` prints it",
            ja="--fingerprint {value} は鍵のフィンガープリントではありません。`kura logs pubkey`"
            " や `ssh-keygen -lf` が表示する SHA256: で始まる 43 文字の形で指定してください",
        )
    ),
    "cli.opening_invalid": Entry(
        Text(
            en="--check-value: {value} is not an opening: give the 64 hex digits that "
            "`kura logs prove` printed",
            ja="--check-value: {value} はオープニングではありません。`kura logs prove` が"
            "表示した 16 進数 64 桁を指定してください",
        )
    ),
    "cli.pii_type_invalid": Entry(
        Text(
            en="{value} is not a personal-data type: use one of {types}",
            ja="{value} は個人情報の種類ではありません。{types} のいずれかを指定してください",
        )
    ),
    "cli.verify_signer_not_pinned": Entry(
        Text(
            en="kura: the bundle is intact, but its signer is NOT verified: key {fingerprint}"
            " comes from the bundle itself. Pass --allowed-signers FILE (a trusted copy of"
            " `kura logs pubkey`) or --fingerprint SHA256:... obtained out of band",
            ja="kura: バンドルは改ざんされていませんが、署名者は検証されていません。"
            "鍵 {fingerprint} はバンドル自身に含まれていたものです。"
            "信頼できる経路で入手した `kura logs pubkey` の写しを --allowed-signers FILE に、"
            "またはフィンガープリントを --fingerprint SHA256:... に指定してください",
        )
    ),
    # ---- lines the CLI prints
    "cli.kb_skipped": Entry(
        Text(
            en="kura: skipped {name}: {error}",
            ja="kura: 「{name}」をスキップしました: {error}",
        )
    ),
    # ---- kura pii detect
    "cli.pii_input_not_utf8": Entry(
        Text(
            en="the text on standard input is not UTF-8 (byte {offset}): convert it, "
            "e.g. iconv -f SHIFT_JIS -t UTF-8 FILE | kura pii detect",
            ja="標準入力のテキストが UTF-8 ではありません（{offset} バイト目）。"
            "変換してから渡してください"
            "（例: iconv -f SHIFT_JIS -t UTF-8 ファイル | kura pii detect）",
        )
    ),
    "cli.pii_input_too_large": Entry(
        Text(
            en="the text on standard input is larger than {limit_mib} MiB: split it and "
            "run kura pii detect on each part",
            ja="標準入力のテキストが {limit_mib} MiB を超えています。"
            "分割して、それぞれに kura pii detect を実行してください",
        )
    ),
}
