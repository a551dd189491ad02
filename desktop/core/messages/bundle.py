"""Messages of building a signed audit bundle (``bundle.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    "bundle.event_incomplete": Entry(
        Text(
            en="audit event {seq!r} lacks {fields}",
            ja="監査イベント {seq!r} に {fields} がありません",
        )
    ),
    "bundle.public_key_not_ed25519": Entry(
        Text(
            en="public_key is not an ssh-ed25519 public key",
            ja="public_key が ssh-ed25519 の公開鍵ではありません",
        )
    ),
    "bundle.signers_ambiguous": Entry(
        Text(
            en="allowed_signers lists {count} keys for {identity!r}; pass public_key",
            ja="allowed_signers には「{identity}」の鍵が {count} 個あります。public_key を"
            "指定してください",
        )
    ),
    "bundle.not_a_bundle": Entry(
        Text(
            en="not a Kura audit bundle (a .zip with checkpoint.json): give the .zip that "
            "`kura logs export` wrote",
            ja="Kura の監査バンドル（checkpoint.json を含む .zip）ではありません。"
            "`kura logs export` が書き出した .zip を指定してください",
        )
    ),
    "bundle.no_events": Entry(
        Text(
            en="an audit bundle needs at least one event: widen the filter (dates, app, user)",
            ja="監査バンドルには少なくとも 1 件のイベントが必要です。絞り込み（期間・アプリ・"
            "ユーザー）を広げてください",
        )
    ),
    "bundle.would_not_verify": Entry(
        Text(
            en="the audit bundle would not verify: {reason}; nothing was written",
            ja="この監査バンドルは検証に通りません: {reason}。何も書き出していません",
        )
    ),
    "bundle.too_large": Entry(
        Text(
            en="this export is too large for one audit bundle ({size} MiB of events, or an "
            "event over 4 MiB; the limit is {limit} MiB): export a shorter date range",
            ja="この書き出しは 1 つの監査バンドルには大きすぎます（イベントが {size} MiB、"
            "または 4 MiB を超えるイベントがあります。上限は {limit} MiB）。"
            "期間を短くして書き出してください",
        )
    ),
}
