"""Messages of remote models (codes start with ``remote.``): registering an internal
OpenAI-compatible inference server, and what its answers can go wrong with."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

_LIST_CLI = Text(en="`kura models list` shows them", ja="`kura models list` で確認できます")
_LIST_GUI = Text(en="Settings > Models shows them", ja="設定 > モデル で確認できます")

MESSAGES: dict[str, Entry] = {
    "remote.what.api_key": Entry(Text(en="the API key", ja="API キー")),
    # ---- registration
    "remote.url_invalid": Entry(
        Text(
            en="'{url}' is not a server address: give http(s)://HOST[:PORT][/PATH], "
            "e.g. https://gpu.example:8443/v1",
            ja="'{url}' はサーバーのアドレスではありません。"
            "http(s)://ホスト[:ポート][/パス] の形で指定してください（例: https://gpu.example:8443/v1）",
        )
    ),
    "remote.url_extras": Entry(
        Text(
            en="'{url}' has a user name, password, query or fragment: give only "
            "scheme, host, port and path (the API key is asked for separately)",
            ja="'{url}' にユーザー名・パスワード・クエリ・フラグメントが含まれています。"
            "スキーム・ホスト・ポート・パスだけを指定してください（API キーは別に入力します）",
        )
    ),
    "remote.pin_invalid": Entry(
        Text(
            en="the certificate pin must be its SHA-256: 64 hex digits (colons allowed), "
            "e.g. from `openssl x509 -noout -fingerprint -sha256`",
            ja="証明書のピンは SHA-256（16 進 64 桁、コロン可）で指定してください。"
            "`openssl x509 -noout -fingerprint -sha256` で得られます",
        )
    ),
    "remote.model_id_invalid": Entry(
        Text(
            en="the model id must be 1-200 printable characters without spaces, as the "
            "server's /v1/models lists it",
            ja="モデル ID は空白を含まない 1〜200 文字の印字可能文字で、"
            "サーバーの /v1/models に載っているとおりに指定してください",
        )
    ),
    "remote.ca_and_pin": Entry(
        Text(
            en="give either a CA file or a certificate pin, not both",
            ja="CA ファイルか証明書のピンのどちらか一方だけを指定してください",
        )
    ),
    "remote.ca_not_pem": Entry(
        Text(
            en="the CA file is not a PEM certificate: give the file that starts with "
            "-----BEGIN CERTIFICATE-----",
            ja="CA ファイルが PEM 形式の証明書ではありません。"
            "-----BEGIN CERTIFICATE----- で始まるファイルを指定してください",
        )
    ),
    "remote.ca_unreadable": Entry(
        Text(
            en="cannot read the CA file {path}: {reason}; check the path",
            ja="CA ファイル {path} を読めません（{reason}）。パスを確かめてください",
        )
    ),
    "remote.https_needs_trust": Entry(
        Text(
            en="an https server needs its CA file or its certificate's SHA-256 pin, "
            "so Kura can verify it: {remedy}",
            ja="https のサーバーを検証するには CA ファイルか証明書の SHA-256 ピンが"
            "必要です。{remedy}",
        ),
        cli=Text(
            en="add --ca-file PEM or --pin-sha256 FP",
            ja="--ca-file PEM か --pin-sha256 FP を付けてください",
        ),
        gui=Text(en="fill in the CA file or the pin", ja="CA ファイルかピンを入力してください"),
    ),
    "remote.trust_needs_https": Entry(
        Text(
            en="a CA file or pin needs an https address: use https://",
            ja="CA ファイルやピンは https のアドレスでのみ使えます。https:// を指定してください",
        )
    ),
    "remote.http_not_loopback": Entry(
        Text(
            en="plain http is allowed only on this machine (127.0.0.1, ::1): "
            "use https with a CA file or pin for {url}",
            ja="暗号化しない http はこのマシン（127.0.0.1, ::1）でのみ使えます。"
            "{url} には CA ファイルかピンを付けて https を使ってください",
        )
    ),
    "remote.unresolved": Entry(
        Text(
            en="the host name {host} does not resolve: check the name, or give its IP address",
            ja="ホスト名 {host} を解決できません。名前を確かめるか、IP アドレスを指定してください",
        )
    ),
    "remote.timeout_range": Entry(
        Text(
            en="the timeout must be between 1 and 3600 seconds",
            ja="タイムアウトは 1〜3600 秒の範囲で指定してください",
        )
    ),
    "remote.api_key_invalid": Entry(
        Text(
            en="the API key must be printable characters without spaces (at most 4096)",
            ja="API キーは空白を含まない印字可能文字（4096 文字以内）で指定してください",
        )
    ),
    "remote.api_key_stdin_empty": Entry(
        Text(
            en="--api-key-stdin read an empty line: pipe the key on standard input",
            ja="--api-key-stdin で空の行を読みました。API キーを標準入力で渡してください",
        )
    ),
    "remote.api_key_missing": Entry(
        Text(
            en="the API key of this remote model is missing from the OS keyring: "
            "remove the model and register it again with its key",
            ja="このリモートモデルの API キーが OS のキーリングにありません。"
            "モデルを削除し、キーを付けて登録し直してください",
        )
    ),
    "remote.model_in_use": Entry(
        Text(
            en="model {name} is used by app(s) {apps}: change their model first",
            ja="モデル {name} はアプリ {apps} が使っています。"
            "先にそのアプリのモデルを変更してください",
        )
    ),
    "remote.no_embedding_model": Entry(
        Text(
            en="no remote embedding model is named {name}: register one with --kind "
            "embedding, or {remedy}",
            ja="{name} という名前のリモート埋め込みモデルはありません。--kind embedding で"
            "登録するか、{remedy}",
        ),
        cli=_LIST_CLI,
        gui=_LIST_GUI,
    ),
    "remote.not_remote": Entry(
        Text(
            en="{name} is not a remote model: {remedy}",
            ja="{name} はリモートモデルではありません。{remedy}",
        ),
        cli=_LIST_CLI,
        gui=_LIST_GUI,
    ),
    # ---- answering
    "remote.tls_refused": Entry(
        Text(
            en="the server {url} was refused: its certificate is not the pinned one or not "
            "signed by the registered CA; ask its administrator, then register it again",
            ja="サーバー {url} を拒否しました。証明書がピンと一致しないか、登録した CA の署名が"
            "ありません。管理者に確認し、登録し直してください",
        )
    ),
    "remote.timeout": Entry(
        Text(
            en="the server {url} did not answer within {seconds} s: try again later, or "
            "ask its administrator",
            ja="サーバー {url} が {seconds} 秒以内に応答しませんでした。"
            "後でやり直すか、管理者に確認してください",
        )
    ),
    "remote.stalled": Entry(
        Text(
            en="the server {url} stopped sending for {seconds} s: the answer so far is "
            "kept; try again later",
            ja="サーバー {url} からの送信が {seconds} 秒止まりました。"
            "ここまでの回答は保存しました。後でやり直してください",
        )
    ),
    "remote.unreachable": Entry(
        Text(
            en="cannot reach the server {url} ({reason}): check that it is running",
            ja="サーバー {url} に接続できません（{reason}）。起動しているか確かめてください",
        )
    ),
    "remote.unreachable_after": Entry(
        Text(
            en="cannot reach the server {url} after {attempts} tries: check that it is running",
            ja="サーバー {url} に {attempts} 回試しても接続できません。"
            "起動しているか確かめてください",
        )
    ),
    "remote.busy": Entry(
        Text(
            en="the server {url} is busy (429, {attempts} tries): try again in a minute",
            ja="サーバー {url} が混み合っています（429、{attempts} 回試行）。"
            "少し待ってやり直してください",
        )
    ),
    "remote.server_error": Entry(
        Text(
            en="the server {url} failed (HTTP {status}, {attempts} tries): try again later "
            "or ask its administrator",
            ja="サーバー {url} でエラーが起きました（HTTP {status}、{attempts} 回試行）。"
            "後でやり直すか、管理者に確認してください",
        )
    ),
    "remote.http_error": Entry(
        Text(
            en="the server {url} refused the request (HTTP {status}: {detail}): check the "
            "model id and the API key",
            ja="サーバー {url} がリクエストを拒否しました（HTTP {status}: {detail}）。"
            "モデル ID と API キーを確かめてください",
        )
    ),
    "remote.stream_dropped": Entry(
        Text(
            en="the server {url} closed the connection mid-answer: the answer so far is "
            "kept; try again",
            ja="サーバー {url} が回答の途中で接続を切りました。ここまでの回答は保存しました。"
            "やり直してください",
        )
    ),
    "remote.malformed": Entry(
        Text(
            en="the server {url} sent a reply that is not OpenAI-compatible JSON: check "
            "that the address points at its /v1 API",
            ja="サーバー {url} の応答が OpenAI 互換の JSON ではありません。"
            "アドレスが /v1 API を指しているか確かめてください",
        )
    ),
    "remote.server_said": Entry(
        Text(
            en="the server {url} stopped with an error ({detail}): the answer so far is kept",
            ja="サーバー {url} がエラーで停止しました（{detail}）。ここまでの回答は保存しました",
        )
    ),
    # ---- the connection test at registration, and re-resolving a name
    "remote.check_failed": Entry(
        Text(
            en="the connection test of {url} failed: {reason}; {remedy}",
            ja="{url} の接続テストに失敗しました: {reason}。{remedy}",
        ),
        cli=Text(
            en="fix that, or register it anyway with --no-check",
            ja="原因を取り除くか、--no-check を付けてそのまま登録してください",
        ),
        gui=Text(
            en='fix that, or untick "Test the connection" to register it anyway',
            ja="原因を取り除くか、「接続をテストする」のチェックを外してそのまま登録してください",
        ),
    ),
    "remote.check_ok": Entry(
        Text(
            en="Connection test: {url} answered in {ms} ms and serves {models}",
            ja="接続テスト: {url} は {ms} ms で応答しました。提供モデル: {models}",
        )
    ),
    "remote.check_other_model": Entry(
        Text(
            en="Connection test: {url} answered in {ms} ms; it lists {models}, not "
            "{model} (a server with one model may answer to any id)",
            ja="接続テスト: {url} は {ms} ms で応答しました。一覧は {models} で、{model} "
            "はありません（モデルが一つのサーバーはどの ID でも応答することがあります）",
        )
    ),
    "remote.check_skipped": Entry(
        Text(
            en="Connection test skipped (--no-check): the first chat or embedding will show "
            "whether the server answers",
            ja="接続テストを省略しました（--no-check）。最初のチャットか埋め込みで"
            "サーバーが応答するか分かります",
        )
    ),
    "remote.not_a_remote_model": Entry(
        Text(
            en="there is no remote model named '{name}': {remedy}",
            ja="'{name}' という名前のリモートモデルはありません。{remedy}",
        ),
        cli=_LIST_CLI,
        gui=_LIST_GUI,
    ),
    "remote.refreshed": Entry(
        Text(
            en="{name}: {host} now resolves to {new} (was {old}); Kura connects only there",
            ja="{name}: {host} の解決先が {new} になりました（以前は {old}）。"
            "Kura はそこにだけ接続します",
        )
    ),
    "remote.refresh_unchanged": Entry(
        Text(
            en="{name}: {host} still resolves to {new}; nothing changed",
            ja="{name}: {host} の解決先は {new} のままです。変更はありません",
        )
    ),
}
