"""Messages every part of Kura uses: the CLI's frame around an error, cancellation."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    "common.cancelled": Entry(Text(en="cancelled", ja="取り消しました")),
    "common.cli_error": Entry(
        Text(en="kura: error: {message}", ja="kura: エラー: {message}"),
    ),
    "common.cli_interrupted": Entry(Text(en="kura: interrupted", ja="kura: 中断しました")),
    "common.cli_internal": Entry(
        Text(
            en="kura: internal error (incident {incident}); rerun with --debug and report it",
            ja="kura: 内部エラーです（インシデント {incident}）。--debug を付けて再実行し、"
            "結果を報告してください",
        ),
    ),
    "common.gui_internal": Entry(
        Text(
            en="Something went wrong inside Kura (incident {incident}). Nothing was lost; "
            "try again.",
            ja="Kura の内部で問題が起きました（インシデント {incident}）。"
            "データは失われていません。もう一度お試しください。",
        ),
    ),
    "common.text_not_valid": Entry(
        Text(
            en="the {what} contains bytes that are not valid text: check the terminal's "
            "encoding (UTF-8) and type it again",
            ja="{what}に文字として読めないバイトが含まれています。端末の文字コード"
            "（UTF-8）を確かめて、もう一度入力してください",
        )
    ),
    "common.what.user_name": Entry(Text(en="user name", ja="ユーザー名")),
    "common.what.password": Entry(Text(en="password", ja="パスワード")),
    "common.what.message": Entry(Text(en="message", ja="メッセージ")),
}
