"""Messages of the logs area (codes start with ``logs.``): the audit log and its chain,
signed log bundles and their signing key, chat traces, feedback and annotations, and
retention."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

#: Running the database check: a command; the GUI has none, so it names the command.
_DOCTOR_CLI = Text(en="run `kura doctor`", ja="`kura doctor` を実行してください")
_DOCTOR_GUI = Text(
    en="run `kura doctor` in a terminal",
    ja="ターミナルで `kura doctor` を実行してください",
)

MESSAGES: dict[str, Entry] = {
    # ---- the audit log as stored
    "logs.payload_not_object": Entry(
        Text(
            en="audit event {seq} has a payload that is not a JSON object: the log was "
            "altered outside Kura; {remedy}",
            ja="監査イベント {seq} のペイロードが JSON オブジェクトではありません。ログが "
            "Kura の外で書き換えられています。{remedy}",
        ),
        cli=Text(
            en="run `kura doctor` and restore from a backup",
            ja="`kura doctor` を実行し、バックアップから復元してください",
        ),
        gui=Text(
            en="run `kura doctor` in a terminal and restore from a backup",
            ja="ターミナルで `kura doctor` を実行し、バックアップから復元してください",
        ),
    ),
    "logs.audit_head_missing": Entry(
        Text(
            en="the audit head is missing: kura.db is damaged; {remedy}",
            ja="監査ログの最新位置（ヘッド）の記録がありません。kura.db が壊れています。{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    # ---- exporting a signed bundle
    "logs.date_invalid": Entry(
        Text(
            en="not a date: {text!r}: use YYYY-MM-DD or an ISO 8601 time with a zone "
            "(2026-11-24T09:00:00Z)",
            ja="「{text}」は日付ではありません。YYYY-MM-DD か、タイムゾーン付きの "
            "ISO 8601 形式の日時（2026-11-24T09:00:00Z）で指定してください",
        )
    ),
    "logs.export_database_corrupt": Entry(
        Text(
            en="kura.db failed its integrity check ({problem}): nothing was exported; {remedy}",
            ja="kura.db が整合性チェックに失敗しました（{problem}）。何もエクスポートして"
            "いません。{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    "logs.export_chain_broken": Entry(
        Text(
            en="the audit chain does not verify ({error}): nothing was exported; {remedy}",
            ja="監査チェーンを検証できません（{error}）。何もエクスポートしていません。{remedy}",
        ),
        cli=_DOCTOR_CLI,
        gui=_DOCTOR_GUI,
    ),
    "logs.no_events_in_range": Entry(
        Text(
            en="no audit events in that date range: {remedy}",
            ja="その期間の監査イベントはありません。{remedy}",
        ),
        cli=Text(en="widen --since/--until", ja="--since/--until の範囲を広げてください"),
        gui=Text(en="widen the Days range", ja="「期間」を広げてください"),
    ),
    # ---- pseudonymised bundles
    "logs.pseudonymise_unavailable": Entry(
        Text(
            en="personal-data detection is not available in this Kura, so a pseudonymised "
            "bundle cannot be made (nothing was exported): {remedy}",
            ja="この Kura では個人情報の検出が使えないため、仮名化したバンドルを作成できません"
            "（何もエクスポートしていません）。{remedy}",
        ),
        cli=Text(
            en="use a Kura build with the personal-data detector, or export without "
            "--pseudonymise only if the recipient may see personal data",
            ja="個人情報検出を含む Kura を使うか、受け取る人が個人情報を見てよい場合に限り "
            "--pseudonymise を付けずにエクスポートしてください",
        ),
        gui=Text(
            en="use a Kura build with the personal-data detector, or untick Pseudonymise "
            "personal data only if the recipient may see personal data",
            ja="個人情報検出を含む Kura を使うか、受け取る人が個人情報を見てよい場合に限り"
            "「個人情報を仮名化する」のチェックを外してください",
        ),
    ),
    "logs.bundle_not_pseudonymised": Entry(
        Text(
            en="this bundle is not a pseudonymised bundle exported from this workspace, so "
            "no value of it can be disclosed: give the bundle exactly as it was exported "
            "(`kura logs export --pseudonymise`)",
            ja="このバンドルはこのワークスペースから仮名化してエクスポートしたものではないため、"
            "値を開示できません。エクスポートしたままのバンドルを指定してください"
            "（`kura logs export --pseudonymise`）",
        )
    ),
    "logs.prove_bundle_invalid": Entry(
        Text(
            en="the bundle does not verify ({reason}): disclose values only against the "
            "bundle exactly as it was exported",
            ja="バンドルの検証に失敗しました（{reason}）。値の開示は、エクスポートしたままの"
            "バンドルに対してだけ行ってください",
        )
    ),
    "logs.value_not_in_bundle": Entry(
        Text(
            en="that {pii_type} value is not one of this bundle's pseudonyms, so nothing "
            "was disclosed: check the value's spelling and type",
            ja="その {pii_type} の値はこのバンドルの仮名に含まれていないため、何も開示して"
            "いません。値の表記と種類を確認してください",
        )
    ),
    "logs.signing_key_missing": Entry(
        Text(
            en="the audit signing key is missing from the OS keyring: {remedy} (bundles "
            "signed before stay valid)",
            ja="監査用の署名キーが OS のキーリングにありません。{remedy}"
            "（これまでに署名したバンドルは引き続き有効です）",
        ),
        cli=Text(
            en="make a new one with `kura keys rotate-signing`",
            ja="`kura keys rotate-signing` で新しいキーを作成してください",
        ),
        gui=Text(
            en="make a new one with Rotate signing key… in Settings > Security",
            ja="設定 > セキュリティ の「署名キーをローテーション…」で新しいキーを作成してください",
        ),
    ),
    # ---- traces, feedback and annotations
    "logs.rating_filter_invalid": Entry(
        Text(
            en="a rating filter is 'up' or 'down'",
            ja="評価での絞り込みは「up」か「down」で指定してください",
        )
    ),
    "logs.trace_limit_invalid": Entry(
        Text(
            en="the trace limit must be between 1 and 10000",
            ja="トレースの件数は 1〜10000 の範囲で指定してください",
        )
    ),
    "logs.rating_invalid": Entry(
        Text(
            en="rate an answer 'up' or 'down'",
            ja="回答の評価は「up」か「down」で指定してください",
        )
    ),
    "logs.comment_too_long": Entry(
        Text(
            en="the comment is too long (at most {maximum} characters)",
            ja="コメントが長すぎます（{maximum} 文字まで）",
        )
    ),
    "logs.annotation_length": Entry(
        Text(
            en="an annotation needs 1 to {maximum} characters",
            ja="注釈は 1〜{maximum} 文字で入力してください",
        )
    ),
    "logs.turn_not_found": Entry(
        Text(en="no turn {turn_id}: {remedy}", ja="やり取り {turn_id} はありません。{remedy}"),
        cli=Text(
            en="`kura logs traces` lists them",
            ja="一覧は `kura logs traces` で確認できます",
        ),
        gui=Text(en="the Logs view lists them", ja="一覧は「ログ」画面で確認できます"),
    ),
    "logs.own_turn_not_found": Entry(
        Text(
            en="no turn {turn_id} of yours: {remedy}",
            ja="あなたのやり取り {turn_id} はありません。{remedy}",
        ),
        cli=Text(
            en="`kura conversations show` lists them",
            ja="一覧は `kura conversations show` で確認できます",
        ),
        gui=Text(
            en="your conversations in Chat show them",
            ja="「チャット」の自分の会話で確認できます",
        ),
    ),
    # ---- retention
    "logs.retention_invalid": Entry(
        Text(
            en="retention is 1 to 36500 days, or {remedy}",
            ja="保持期間は 1〜36500 日か、{remedy}",
        ),
        cli=Text(
            en="'keep' for forever",
            ja="無期限なら「keep」で指定してください",
        ),
        gui=Text(en="choose Forever", ja="「無期限」にしてください"),
    ),
    "logs.no_signing_key_yet": Entry(
        Text(
            en="the workspace has no audit signing key yet: ask the Owner",
            ja="このワークスペースにはまだ監査用の署名キーがありません。オーナーに依頼してください",
        )
    ),
}
