"""Personal-data policies: pseudonymising, minimising logs, the workspace's terms."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    "privacy.what.terms": Entry(
        Text(
            en="the personal-data terms (one a line; re: before a regular expression)",
            ja="個人情報の登録語（1行に1語、正規表現は先頭に re: を付ける）",
        )
    ),
    "privacy.cli_defaults": Entry(
        Text(
            en="workspace default: minimise logs {minimise}, pseudonymise before the model "
            "{pseudonymise} (an app's own setting overrides it)",
            ja="ワークスペースの既定: ログの最小化 {minimise}、モデルに渡す前の仮名化 "
            "{pseudonymise}（アプリ自身の設定が優先されます）",
        )
    ),
    "privacy.detector_missing": Entry(
        Text(
            en="personal data cannot be masked: this installation has no personal-data "
            "detector, so nothing was sent; {remedy}",
            ja="個人情報をマスクできません。このインストールには個人情報の検出器がないため、"
            "何も送信していません。{remedy}",
        ),
        cli=Text(
            en="turn the app's personal-data policy off with `kura apps edit`, or ask the "
            "Owner to install the detector",
            ja="`kura apps edit` でアプリの個人情報ポリシーをオフにするか、"
            "オーナーに検出器の導入を依頼してください",
        ),
        gui=Text(
            en="turn the app's personal-data policy off in Studio, or ask the Owner to "
            "install the detector",
            ja="スタジオでアプリの個人情報ポリシーをオフにするか、"
            "オーナーに検出器の導入を依頼してください",
        ),
    ),
    "privacy.redact_needs_detector": Entry(
        Text(
            en="knowledge base {kb!r} masks personal data, but this installation has no "
            "personal-data detector, so nothing was added: {remedy}",
            ja="ナレッジベース {kb!r} は個人情報をマスクする設定ですが、このインストールには"
            "個人情報の検出器がないため、何も追加していません。{remedy}",
        ),
        cli=Text(
            en="turn redaction off with `kura kb edit`, or ask the Owner to install the detector",
            ja="`kura kb edit` でマスクをオフにするか、オーナーに検出器の導入を依頼してください",
        ),
        gui=Text(
            en="turn redaction off in the knowledge base's settings, or ask the Owner to "
            "install the detector",
            ja="ナレッジベースの設定でマスクをオフにするか、オーナーに検出器の導入を依頼してください",
        ),
    ),
    "privacy.term_too_long": Entry(
        Text(
            en="a personal-data term is too long: keep each term to {maximum} characters",
            ja="個人情報の登録語が長すぎます。1語は{maximum}文字以内にしてください",
        )
    ),
    "privacy.term_bad_pattern": Entry(
        Text(
            en="the personal-data term {term!r} is not a valid regular expression ({reason}): "
            "correct it, or add it as plain text",
            ja="個人情報の登録語 {term!r} は正しい正規表現ではありません（{reason}）。"
            "修正するか、通常の文字列として登録してください",
        )
    ),
    "privacy.term_matches_nothing": Entry(
        Text(
            en="the personal-data term {term!r} matches empty text: make it match at least "
            "one character",
            ja="個人情報の登録語 {term!r} は空の文字列に一致します。"
            "1文字以上に一致するようにしてください",
        )
    ),
    "privacy.too_many_terms": Entry(
        Text(
            en="too many personal-data terms: keep the list to {maximum}, or use a regular "
            "expression for a family of ids",
            ja="個人情報の登録語が多すぎます。{maximum}語以内にするか、"
            "ID の並びには正規表現を使ってください",
        )
    ),
}
