"""Usage limits: setting them, and the refusal of a turn that would pass one."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

_RAISE_CLI = Text(
    en="only the Owner can raise it (`kura limits set`)",
    ja="上限を上げられるのはオーナーだけです（`kura limits set`）",
)
_RAISE_GUI = Text(
    en="only the Owner can raise it (the Usage screen lists the limits)",
    ja="上限を上げられるのはオーナーだけです（利用状況の画面に上限の一覧があります）",
)

MESSAGES: dict[str, Entry] = {
    # ---- nouns rendered inside other messages (Terms)
    "limits.scope.user": Entry(Text(en="user", ja="ユーザー")),
    "limits.scope.app": Entry(Text(en="app", ja="アプリ")),
    "limits.scope.model": Entry(Text(en="model", ja="モデル")),
    "limits.kind.tokens_per_day": Entry(Text(en="daily token limit", ja="1日のトークン上限")),
    "limits.kind.tokens_per_month": Entry(Text(en="monthly token limit", ja="1か月のトークン上限")),
    "limits.kind.requests_per_minute": Entry(
        Text(en="requests-per-minute limit", ja="1分あたりのリクエスト上限")
    ),
    "limits.kind.concurrent": Entry(Text(en="limit on answers at once", ja="同時生成数の上限")),
    # ---- refusals
    "limits.reached": Entry(
        Text(
            en="the {limit} of {scope} '{name}' is reached ({used} of {allowed}); it resets "
            "at {resets}; {remedy}",
            ja="{scope}「{name}」の{limit}に達しました（{allowed} のうち {used}）。"
            "{resets} にリセットされます。{remedy}",
        ),
        cli=_RAISE_CLI,
        gui=_RAISE_GUI,
    ),
    "limits.busy": Entry(
        Text(
            en="the {limit} of {scope} '{name}' is reached ({used} of {allowed} answers are "
            "being generated); try again when one finishes; {remedy}",
            ja="{scope}「{name}」の{limit}に達しました（{allowed} 件のうち {used} 件を生成中）。"
            "どれかが終わってからやり直してください。{remedy}",
        ),
        cli=_RAISE_CLI,
        gui=_RAISE_GUI,
    ),
    # ---- setting them
    "limits.nothing_given": Entry(
        Text(
            en="no limit given: name at least one of --tokens-per-day, --tokens-per-month, "
            "--requests-per-minute or --concurrent",
            ja="上限が指定されていません。--tokens-per-day、--tokens-per-month、"
            "--requests-per-minute、--concurrent のどれかを指定してください",
        )
    ),
    "limits.not_for_scope": Entry(
        Text(
            en="a {scope} takes only {allowed}; set the {limit} for a user or an app",
            ja="{scope}に設定できるのは{allowed}だけです。{limit}はユーザーかアプリに設定してください",
        )
    ),
    "limits.value_range": Entry(
        Text(
            en="the {limit} must be a whole number from 0 to {maximum}",
            ja="{limit}は 0〜{maximum} の整数で指定してください",
        )
    ),
    "limits.subject_not_found": Entry(
        Text(
            en="no {scope} named '{name}'; {remedy}",
            ja="「{name}」という{scope}はありません。{remedy}",
        ),
        cli=Text(
            en="`kura users list`, `kura apps list` and `kura models list` show the names",
            ja="`kura users list`、`kura apps list`、`kura models list` で名前を確かめてください",
        ),
        gui=Text(
            en="check the name under Members, Studio or Settings → Models",
            ja="メンバー、スタジオ、設定 → モデルで名前を確かめてください",
        ),
    ),
    # ---- the command line's own lines
    "limits.cli_none": Entry(Text(en="no usage limits are set", ja="利用上限は設定されていません")),
    "limits.cli_row": Entry(
        Text(
            en="{scope} {name}: {limit} {allowed}, used {used}, resets {resets}",
            ja="{scope} {name}: {limit} {allowed}、使用量 {used}、リセット {resets}",
        )
    ),
    "limits.cli_row_concurrent": Entry(
        Text(
            en="{scope} {name}: {limit} {allowed} (answers being generated now in this "
            "process: {used})",
            ja="{scope} {name}: {limit} {allowed}（このプロセスで生成中: {used}）",
        )
    ),
    "limits.cli_cleared": Entry(
        Text(en="limits of {scope} {name} cleared", ja="{scope} {name} の上限を解除しました")
    ),
}
