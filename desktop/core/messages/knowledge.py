"""Messages of the knowledge area (codes start with ``knowledge.``): knowledge bases,
their documents and settings, search, the vector index. Reading files and the
embedding models are in ``knowledge_files``."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

_REBUILD_EN = "rebuild it from the stored embeddings"
_REBUILD_JA = "保存済みの埋め込みから作り直してください"

MESSAGES: dict[str, Entry] = {
    # ---- knowledge bases: finding, naming, sharing, changing
    "knowledge.kb_not_found": Entry(
        Text(
            en="no knowledge base {name!r}: {remedy}",
            ja="ナレッジベース「{name}」はありません。{remedy}",
        ),
        cli=Text(
            en="`kura kb list` shows the ones you can use",
            ja="使えるものは `kura kb list` で確認できます",
        ),
        gui=Text(
            en="the Knowledge view lists the ones you can use",
            ja="使えるものはナレッジ画面の一覧で確認できます",
        ),
    ),
    "knowledge.kb_name_taken": Entry(
        Text(
            en="a knowledge base named {name!r} exists: choose another",
            ja="ナレッジベース「{name}」はすでにあります。別の名前にしてください",
        )
    ),
    "knowledge.kb_name_ambiguous": Entry(
        Text(
            en="several knowledge bases are named {name!r} (ids {ids}): {remedy}",
            ja="「{name}」という名前のナレッジベースが複数あります（ID {ids}）。{remedy}",
        ),
        cli=Text(
            en="name one by its id",
            ja="ID で指定してください",
        ),
        gui=Text(
            en="choose one in the Knowledge list",
            ja="「ナレッジ」の一覧から選んでください",
        ),
    ),
    "knowledge.kb_name_unprintable": Entry(
        Text(
            en="a knowledge base name cannot hold control characters: type it again",
            ja="ナレッジベースの名前に制御文字は使えません。入力し直してください",
        )
    ),
    "knowledge.kb_name_length": Entry(
        Text(
            en="a knowledge base name needs 1 to 100 characters",
            ja="ナレッジベースの名前は 1〜100 文字にしてください",
        )
    ),
    "knowledge.setting_unknown": Entry(
        Text(
            en="unknown knowledge base setting: {reason}",
            ja="ナレッジベースの設定に不明な項目があります: {reason}",
        )
    ),
    "knowledge.settings_unknown": Entry(
        Text(
            en="unknown knowledge base settings: {names}",
            ja="ナレッジベースの設定に不明な項目があります: {names}",
        )
    ),
    "knowledge.embedding_model_locked": Entry(
        Text(
            en="the embedding model of a knowledge base with documents cannot change: "
            "create a new knowledge base with that model",
            ja="ドキュメントが入っているナレッジベースの埋め込みモデルは変更できません。"
            "そのモデルで新しいナレッジベースを作成してください",
        )
    ),
    "knowledge.read_only": Entry(
        Text(
            en="permission denied: you may read this knowledge base, not change it",
            ja="権限がありません: このナレッジベースは閲覧できますが、変更はできません",
        )
    ),
    "knowledge.users_unknown": Entry(
        Text(en="no such user(s): {names}", ja="該当するユーザーがいません: {names}")
    ),
    "knowledge.apps_unknown": Entry(
        Text(en="no such app(s): {ids}", ja="該当するアプリがありません: {ids}")
    ),
    "knowledge.members_needed": Entry(
        Text(
            en="a knowledge base shared with chosen members needs {remedy}",
            ja="「選択したメンバー」が閲覧できるナレッジベースには、{remedy}",
        ),
        cli=Text(en="--member", ja="--member の指定が必要です"),
        gui=Text(
            en="at least one member: add them under Members in its Settings tab",
            ja="メンバーが 1 人以上必要です。「設定」タブの「メンバー」で追加してください",
        ),
    ),
    # ---- settings of a knowledge base
    "knowledge.chunk_size_invalid": Entry(
        Text(
            en="chunk size must be 100 to 8000 characters",
            ja="チャンクサイズは 100〜8000 文字にしてください",
        )
    ),
    "knowledge.chunk_overlap_invalid": Entry(
        Text(
            en="chunk overlap must be at least 0 and under half the chunk size",
            ja="チャンクの重なりは 0 以上、チャンクサイズの半分未満にしてください",
        )
    ),
    "knowledge.top_k_invalid": Entry(
        Text(en="top-k must be between 1 and 50", ja="top-k は 1〜50 にしてください")
    ),
    "knowledge.score_threshold_invalid": Entry(
        Text(
            en="the score threshold must be between 0 and 1",
            ja="スコアのしきい値は 0〜1 にしてください",
        )
    ),
    "knowledge.mode_invalid": Entry(
        Text(
            en="mode must be vector, fulltext or hybrid",
            ja="検索モードは vector、fulltext、hybrid のいずれかにしてください",
        )
    ),
    # ---- documents, search, cited passages
    "knowledge.document_not_found": Entry(
        Text(
            en="no document {name!r}: {remedy}",
            ja="ドキュメント「{name}」はありません。{remedy}",
        ),
        cli=Text(en="`kura kb docs` lists them", ja="一覧は `kura kb docs` で確認できます"),
        gui=Text(
            en="the Documents tab of the Knowledge view lists them",
            ja="一覧はナレッジ画面の「ドキュメント」タブで確認できます",
        ),
    ),
    "knowledge.query_empty": Entry(Text(en="the search query is empty", ja="検索クエリが空です")),
    "knowledge.passage_gone": Entry(
        Text(
            en="passage [{marker}] is no longer available: its document or knowledge base "
            "was removed, or you may no longer read it",
            ja="抜粋 [{marker}] はもう表示できません。ドキュメントかナレッジベースが削除"
            "されたか、閲覧する権限がなくなりました",
        )
    ),
    "knowledge.answer_not_yours": Entry(
        Text(
            en="no answer {turn} of yours: it may have been deleted",
            ja="あなたの回答 {turn} はありません。削除された可能性があります",
        )
    ),
    "knowledge.answer_no_passage": Entry(
        Text(
            en="that answer has no passage [{marker}]",
            ja="その回答に抜粋 [{marker}] はありません",
        )
    ),
    "knowledge.answer_not_found": Entry(
        Text(
            en="no answer {turn}: it may have been deleted or purged",
            ja="回答 {turn} はありません。削除されたか、保存期間を過ぎて消去された可能性があります",
        )
    ),
    # ---- rank fusion and the vector index
    "knowledge.fusion_weight_negative": Entry(
        Text(
            en="the fusion weight of {source!r} must be zero or more",
            ja="「{source}」の融合の重みは 0 以上にしてください",
        )
    ),
    "knowledge.fusion_k_invalid": Entry(
        Text(
            en="the rank fusion constant k must be at least 1",
            ja="順位融合の定数 k は 1 以上にしてください",
        )
    ),
    "knowledge.faiss_missing": Entry(
        Text(
            en="the vector search engine (faiss-cpu) is not installed: reinstall Kura",
            ja="ベクトル検索エンジン（faiss-cpu）がインストールされていません。"
            "Kura を再インストールしてください",
        )
    ),
    "knowledge.vector_ids_negative": Entry(
        Text(en="vector ids must not be negative", ja="ベクトルの ID に負の値は使えません")
    ),
    "knowledge.vector_dimension_invalid": Entry(
        Text(
            en="the vector dimension must be a positive whole number",
            ja="ベクトルの次元数は正の整数にしてください",
        )
    ),
    "knowledge.search_threads_invalid": Entry(
        Text(
            en="search threads must be at least 1",
            ja="検索スレッド数は 1 以上にしてください",
        )
    ),
    "knowledge.vectors_wrong_shape": Entry(
        Text(
            en="vectors of shape {shape} do not fit an index of dimension {dimension}: "
            "rebuild the index with the current embedding model",
            ja="形が {shape} のベクトルは次元数 {dimension} のインデックスに合いません。"
            "現在の埋め込みモデルでインデックスを作り直してください",
        )
    ),
    "knowledge.vectors_count_mismatch": Entry(
        Text(
            en="{ids} ids were given for {vectors} vectors",
            ja="{vectors} 個のベクトルに対して {ids} 個の ID が渡されました",
        )
    ),
    "knowledge.vectors_not_finite": Entry(
        Text(
            en="vectors must be finite (no NaN or infinity)",
            ja="ベクトルは有限の値にしてください（NaN や無限大は使えません）",
        )
    ),
    "knowledge.k_invalid": Entry(Text(en="k must be at least 1", ja="k は 1 以上にしてください")),
    "knowledge.index_unreadable": Entry(
        Text(
            en="the stored vector index is unreadable: " + _REBUILD_EN,
            ja="保存されたベクトルインデックスを読み取れません。" + _REBUILD_JA,
        )
    ),
    "knowledge.index_wrong_kind": Entry(
        Text(
            en="the stored vector index is of an unexpected kind: " + _REBUILD_EN,
            ja="保存されたベクトルインデックスの種類が想定と違います。" + _REBUILD_JA,
        )
    ),
    "knowledge.index_wrong_dimension": Entry(
        Text(
            en="the stored vector index has dimension {stored}, the embedding model "
            "{dimension}: " + _REBUILD_EN,
            ja="保存されたベクトルインデックスの次元数は {stored}、埋め込みモデルの次元数は "
            "{dimension} です。" + _REBUILD_JA,
        )
    ),
    "knowledge.index_duplicate_ids": Entry(
        Text(
            en="the stored vector index holds duplicate ids: rebuild it",
            ja="保存されたベクトルインデックスに重複した ID があります。作り直してください",
        )
    ),
}
