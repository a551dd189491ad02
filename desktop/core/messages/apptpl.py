"""Messages of the app-template area (codes start with ``apptpl.``): exporting an app as a
readable YAML template, its optional signature, and importing one strictly."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

#: Most template problems have one remedy: a fresh, unedited export.
_FRESH = Text(
    en="ask for a fresh export (`kura apps export APP --out FILE.yaml`)",
    ja="新しくエクスポートしたもの（`kura apps export APP --out FILE.yaml`）を受け取ってください",
)
_FRESH_GUI = Text(
    en="ask for a fresh export (Studio: Export template…)",
    ja="新しくエクスポートしたもの（スタジオ: テンプレートをエクスポート…）を受け取ってください",
)


def _fixable(en: str, ja: str) -> Entry:
    """A template problem whose remedy is to fix the file or get a fresh export."""
    return Entry(Text(en=en + "; {remedy}", ja=ja + "。{remedy}"), cli=_FRESH, gui=_FRESH_GUI)


MESSAGES: dict[str, Entry] = {
    # ---- reading a template
    "apptpl.file_missing": Entry(
        Text(
            en="no template file {path}: check the path",
            ja="テンプレートファイル {path} がありません。パスを確認してください",
        )
    ),
    "apptpl.file_unreadable": Entry(
        Text(en="cannot read {path}: {reason}", ja="{path} を読み込めません: {reason}")
    ),
    "apptpl.too_large": _fixable(
        "the template is {size} bytes, more than the {maximum} a template may have",
        "テンプレートが {size} バイトあり、上限の {maximum} バイトを超えています",
    ),
    "apptpl.not_utf8": _fixable(
        "the template is not UTF-8 text (byte {offset})",
        "テンプレートが UTF-8 のテキストではありません（{offset} バイト目）",
    ),
    "apptpl.yaml_invalid": _fixable(
        "the template is not valid YAML (line {line}: {problem})",
        "テンプレートが正しい YAML ではありません（{line} 行目: {problem}）",
    ),
    "apptpl.yaml_alias": _fixable(
        "the template uses a YAML anchor or alias (line {line}), which templates may not "
        "hold; write each value out",
        "テンプレートに YAML のアンカーまたはエイリアスがあります（{line} 行目）。"
        "テンプレートでは使えないので、値をそのまま書いてください",
    ),
    "apptpl.yaml_tag": _fixable(
        "the template uses an explicit YAML tag (line {line}), which templates may not hold",
        "テンプレートに明示的な YAML タグがあります（{line} 行目）。テンプレートでは使えません",
    ),
    "apptpl.too_deep": _fixable(
        "the template nests lists or mappings too deeply (line {line})",
        "テンプレートのリストやマッピングの入れ子が深すぎます（{line} 行目）",
    ),
    "apptpl.too_many_nodes": _fixable(
        "the template has more than {maximum} YAML nodes",
        "テンプレートの YAML ノードが {maximum} 個を超えています",
    ),
    "apptpl.not_one_document": _fixable(
        "the file holds {count} YAML documents, a template exactly one",
        "ファイルに YAML ドキュメントが {count} 個あります。テンプレートはちょうど 1 個です",
    ),
    "apptpl.not_mapping": _fixable(
        "the template is not a YAML mapping of keys to values",
        "テンプレートがキーと値の YAML マッピングではありません",
    ),
    "apptpl.key_not_text": _fixable(
        "the template has a key that is not text (line {line})",
        "テンプレートにテキストでないキーがあります（{line} 行目）",
    ),
    "apptpl.duplicate_key": _fixable(
        "the template names {key!r} twice (line {line})",
        "テンプレートで「{key}」が 2 回指定されています（{line} 行目）",
    ),
    "apptpl.not_template": _fixable(
        "this is not a Kura app template: it has no {key!r} key",
        "Kura のアプリテンプレートではありません（「{key}」キーがありません）",
    ),
    "apptpl.version_unsupported": Entry(
        Text(
            en="the template has format version {version}; this Kura reads version "
            "{supported}: update Kura or export the app again from the same version",
            ja="テンプレートの形式バージョンは {version} ですが、この Kura が読めるのは "
            "{supported} です。Kura を更新するか、同じバージョンでエクスポートし直してください",
        )
    ),
    "apptpl.unknown_keys": _fixable(
        "the template has unknown keys: {where}{keys}; remove them",
        "テンプレートに不明なキーがあります: {where}{keys}。削除してください",
    ),
    "apptpl.missing_field": _fixable(
        "the template has no {field}; add it",
        "テンプレートに {field} がありません。追加してください",
    ),
    "apptpl.wrong_type": _fixable(
        "the template's {field} must be {expected}",
        "テンプレートの {field} は {expected} でなければなりません",
    ),
    "apptpl.too_long": _fixable(
        "the template's {field} is too long (at most {maximum} characters)",
        "テンプレートの {field} が長すぎます（最大 {maximum} 文字）",
    ),
    "apptpl.too_many": _fixable(
        "the template's {field} has too many entries (at most {maximum})",
        "テンプレートの {field} の項目が多すぎます（最大 {maximum} 個）",
    ),
    "apptpl.name_one_line": _fixable(
        "the template's name must be one line", "テンプレートの name は 1 行にしてください"
    ),
    "apptpl.model_sha256_invalid": _fixable(
        "the template's model.sha256 is not 64 hexadecimal digits",
        "テンプレートの model.sha256 が 16 進数 64 桁ではありません",
    ),
    "apptpl.kb_name_blank": _fixable(
        "the template's knowledge_bases has a blank name",
        "テンプレートの knowledge_bases に空の名前があります",
    ),
    "apptpl.kb_name_repeated": _fixable(
        "the template's knowledge_bases names a knowledge base twice",
        "テンプレートの knowledge_bases で同じナレッジベースが 2 回指定されています",
    ),
    "apptpl.variable_not_used": _fixable(
        "the template's variables names {variable!r}, which the instructions do not use "
        "as {{{{{variable}}}}}",
        "テンプレートの variables にある「{variable}」が、instructions で "
        "{{{{{variable}}}}} として使われていません",
    ),
    "apptpl.parameter_invalid": _fixable(
        "the template's {field} are invalid: {reason}",
        "テンプレートの {field} が正しくありません: {reason}",
    ),
    # ---- the signature
    "apptpl.signature_invalid": Entry(
        Text(
            en="the template's signature (FILE.yaml.sig) does not match it: the template "
            "or the signature was altered; nothing was imported; {remedy}",
            ja="テンプレートの署名（FILE.yaml.sig）が内容と一致しません。テンプレートか署名が"
            "書き換えられています。何もインポートしていません。{remedy}",
        ),
        cli=_FRESH,
        gui=_FRESH_GUI,
    ),
    "apptpl.signer_untrusted": Entry(
        Text(
            en="the template is signed by key {fingerprint}, which this workspace does not "
            "trust: nothing was imported; {remedy}",
            ja="テンプレートは鍵 {fingerprint} で署名されていますが、このワークスペースはその鍵を"
            "信頼していません。何もインポートしていません。{remedy}",
        ),
        cli=Text(
            en="get the lines `kura logs pubkey` prints on the sending workspace, check the "
            "fingerprint with its Owner, then run `kura keys trust FILE` (Owner)",
            ja="送り手のワークスペースで `kura logs pubkey` が表示する行を受け取り、その Owner と"
            "フィンガープリントを確認してから `kura keys trust FILE` を実行してください（Owner）",
        ),
        gui=Text(
            en="ask this workspace's Owner to trust the sending workspace's signing key "
            "(`kura keys trust FILE`)",
            ja="このワークスペースの Owner に、送り手のワークスペースの署名鍵を信頼する設定"
            "（`kura keys trust FILE`）を依頼してください",
        ),
    ),
    "apptpl.signer_namespace": Entry(
        Text(
            en="the template's signer {fingerprint} is trusted, but its trusted line's "
            "namespaces= does not include {namespace}: nothing was imported; {remedy}",
            ja="テンプレートの署名者 {fingerprint} は信頼されていますが、その信頼の行の "
            "namespaces= に {namespace} が含まれていません。何もインポートしていません。{remedy}",
        ),
        cli=Text(
            en="get the lines a current `kura logs pubkey` prints on the sending workspace, "
            "check the fingerprint with its Owner, then run `kura keys trust FILE` again (Owner)",
            ja="送り手のワークスペースで現在の `kura logs pubkey` が表示する行を受け取り、その "
            "Owner とフィンガープリントを確認してから `kura keys trust FILE` をもう一度実行して"
            "ください（Owner）",
        ),
        gui=Text(
            en="ask this workspace's Owner to trust the lines a current `kura logs pubkey` "
            "prints on the sending workspace (`kura keys trust FILE`)",
            ja="このワークスペースの Owner に、送り手のワークスペースで現在の `kura logs pubkey` "
            "が表示する行を信頼する設定（`kura keys trust FILE`）を依頼してください",
        ),
    ),
    "apptpl.signature_too_large": Entry(
        Text(
            en="the template's .sig file is too large to be a signature; remove it or {remedy}",
            ja="テンプレートの .sig ファイルは署名としては大きすぎます。削除するか、{remedy}",
        ),
        cli=_FRESH,
        gui=_FRESH_GUI,
    ),
    "apptpl.signing_key_missing": Entry(
        Text(
            en="the workspace's signing key is missing from the OS keyring: export "
            "without signing, or ask the Owner to rotate the signing key",
            ja="ワークスペースの署名鍵が OS のキーリングにありません。署名せずに"
            "エクスポートするか、オーナーに署名鍵のローテーションを依頼してください",
        )
    ),
    # ---- mapping the model and knowledge bases
    "apptpl.model_missing": Entry(
        Text(
            en="the template's model {name!r} (SHA-256 {sha}) is not registered here: {remedy}",
            ja="テンプレートのモデル「{name}」（SHA-256 {sha}）はここに登録されていません。"
            "{remedy}",
        ),
        cli=Text(
            en="pass --model with a registered model (`kura models list`)",
            ja="登録済みのモデルを --model で指定してください（`kura models list`）",
        ),
        gui=Text(
            en="choose a registered model in the import dialog",
            ja="インポートのダイアログで登録済みのモデルを選んでください",
        ),
    ),
    "apptpl.kbs_missing": Entry(
        Text(
            en="the template links knowledge bases you have no readable one of that name "
            "for: {names}; {remedy}",
            ja="テンプレートがリンクしているナレッジベースのうち、読める同名のものが"
            "ないものがあります: {names}。{remedy}",
        ),
        cli=Text(
            en="map each with --kb OLD=NEW (`kura kb list`)",
            ja="それぞれ --kb 元の名前=ここでの名前 で対応付けてください（`kura kb list`）",
        ),
        gui=Text(
            en="choose a knowledge base for each in the import dialog",
            ja="インポートのダイアログでそれぞれのナレッジベースを選んでください",
        ),
    ),
    "apptpl.kb_mapping_unknown": Entry(
        Text(
            en="--kb {name}=… names a knowledge base the template does not link; the "
            "template links: {linked}",
            ja="--kb {name}=… はテンプレートがリンクしていないナレッジベースです。"
            "テンプレートのリンク: {linked}",
        )
    ),
    "apptpl.kb_mapping_syntax": Entry(
        Text(
            en="--kb takes OLD=NEW (the template's knowledge base name = a local one), "
            "not {value!r}",
            ja="--kb は 元の名前=ここでの名前 の形で指定してください（「{value}」ではなく）",
        )
    ),
}
