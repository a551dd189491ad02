"""Messages of the models area (codes start with ``models.``): model files and their
registration, load settings and sampling parameters, chat templates, fitting a prompt
into the context, and the model host process."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- nouns rendered inside other messages (Terms)
    "models.what.load_settings": Entry(Text(en="model settings", ja="モデルの設定")),
    "models.what.sampling": Entry(Text(en="model parameters", ja="モデルのパラメーター")),
    "models.advice.chat": Entry(
        Text(
            en="lower the context size or GPU layers, or check the model file",
            ja="コンテキスト長か GPU レイヤー数を下げるか、モデルファイルを確かめてください",
        )
    ),
    "models.advice.embed": Entry(
        Text(
            en="check the embedding model folder, or add fewer files at once",
            ja="埋め込みモデルのフォルダーを確かめるか、一度に追加するファイルを減らしてください",
        )
    ),
    "models.advice.ocr": Entry(
        Text(
            en="add the scan as a sharper or smaller image (about 300 dpi)",
            ja="スキャンをより鮮明な画像か小さな画像（300 dpi 程度）にして追加してください",
        )
    ),
    "models.advice.pii": Entry(
        Text(
            en="check that Kura's personal-data model (GiNZA) is installed, or send less text",
            ja="Kura の個人情報検出モデル（GiNZA）がインストールされているか確かめるか、"
            "送るテキストを減らしてください",
        )
    ),
    # ---- load settings
    "models.gpu_layers_not_number": Entry(
        Text(
            en="n_gpu_layers must be 'auto' or a whole number",
            ja="n_gpu_layers は 'auto' か整数で指定してください",
        )
    ),
    "models.gpu_layers_range": Entry(
        Text(
            en="n_gpu_layers must be 'auto', -1 (all) or 0 and up",
            ja="n_gpu_layers は 'auto'、-1（すべて）、または 0 以上で指定してください",
        )
    ),
    "models.threads_range": Entry(
        Text(
            en="threads must be between 1 and 512",
            ja="スレッド数は 1〜512 の範囲で指定してください",
        )
    ),
    "models.context_size_range": Entry(
        Text(
            en="context size must be between 256 and 1048576 tokens",
            ja="コンテキスト長は 256〜1048576 トークンの範囲で指定してください",
        )
    ),
    "models.batch_size_range": Entry(
        Text(
            en="batch size must be between 1 and 65536",
            ja="バッチサイズは 1〜65536 の範囲で指定してください",
        )
    ),
    # ---- sampling parameters
    "models.temperature_range": Entry(
        Text(
            en="temperature must be between 0 and 5",
            ja="temperature は 0〜5 の範囲で指定してください",
        )
    ),
    "models.top_p_range": Entry(
        Text(
            en="top_p must be above 0 and at most 1",
            ja="top_p は 0 より大きく 1 以下で指定してください",
        )
    ),
    "models.top_k_range": Entry(
        Text(
            en="top_k must be between 0 and 1000",
            ja="top_k は 0〜1000 の範囲で指定してください",
        )
    ),
    "models.max_tokens_range": Entry(
        Text(
            en="max_tokens must be between 1 and 131072",
            ja="max_tokens は 1〜131072 の範囲で指定してください",
        )
    ),
    "models.repeat_penalty_range": Entry(
        Text(
            en="repeat_penalty must be between 0.5 and 2",
            ja="repeat_penalty は 0.5〜2 の範囲で指定してください",
        )
    ),
    "models.seed_range": Entry(
        Text(
            en="seed must be between 0 and 2^32-1",
            ja="seed は 0〜2^32-1 の範囲で指定してください",
        )
    ),
    "models.unknown_fields": Entry(
        Text(
            en="unknown {what}: {unknown} (known: {known})",
            ja="不明な{what}です: {unknown}（使えるもの: {known}）",
        )
    ),
    "models.invalid_fields": Entry(
        Text(en="invalid {what}: {reason}", ja="{what}が正しくありません: {reason}")
    ),
    # ---- registered models
    "models.name_length": Entry(
        Text(
            en="a model name needs 1 to 100 characters: {remedy}",
            ja="モデル名は 1〜100 文字にしてください。{remedy}",
        ),
        cli=Text(en="pass --name", ja="--name で指定してください"),
        gui=Text(
            en="rename the file and add it again",
            ja="ファイル名を変えてから、もう一度追加してください",
        ),
    ),
    "models.name_taken": Entry(
        Text(
            en="a model named {name!r} exists: {remedy}",
            ja="「{name}」という名前のモデルはすでにあります。{remedy}",
        ),
        cli=Text(en="pass another --name", ja="--name で別の名前を指定してください"),
        gui=Text(
            en="rename the file and add it again",
            ja="ファイル名を変えてから、もう一度追加してください",
        ),
    ),
    "models.not_found": Entry(
        Text(
            en="no model named {name!r}: {remedy}",
            ja="「{name}」という名前のモデルはありません。{remedy}",
        ),
        cli=Text(en="`kura models list` shows them", ja="`kura models list` で一覧を確認できます"),
        gui=Text(en="Settings > Models lists them", ja="設定 > モデル で一覧を確認できます"),
    ),
    "models.app_model_gone": Entry(
        Text(
            en="the app's model is no longer registered: pick another model",
            ja="このアプリのモデルは登録が解除されています。別のモデルを選んでください",
        )
    ),
    "models.file_missing": Entry(
        Text(
            en="the file of model {name!r} is missing ({path}): put it back or register "
            "the model again",
            ja="モデル「{name}」のファイルが見つかりません（{path}）。ファイルを元の場所に"
            "戻すか、モデルをもう一度登録してください",
        )
    ),
    "models.file_changed": Entry(
        Text(
            en="the file of model {name!r} changed since it was registered (SHA-256 "
            "differs): restore the original file or register it again as a new model",
            ja="モデル「{name}」のファイルが登録後に変更されています（SHA-256 が一致しません）。"
            "元のファイルに戻すか、新しいモデルとしてもう一度登録してください",
        )
    ),
    # ---- fitting the prompt into the context window
    "models.no_room_for_answer": Entry(
        Text(
            en="max_tokens ({max_tokens}) leaves no room in the {n_ctx}-token context: {remedy}",
            ja="max_tokens（{max_tokens}）が {n_ctx} トークンのコンテキストをすべて使っています。"
            "{remedy}",
        ),
        cli=Text(
            en="lower max_tokens or raise the model's context size",
            ja="max_tokens を下げるか、モデルのコンテキスト長を上げてください",
        ),
        gui=Text(
            en="lower Max answer tokens in Studio or raise the model's Context length in "
            "Settings > Models",
            ja="スタジオで「回答の最大トークン数」を下げるか、設定 > モデル でモデルの"
            "「コンテキスト長」を上げてください",
        ),
    ),
    "models.message_too_long": Entry(
        Text(
            en="the message is too long: with the instructions it needs {needed} tokens, but "
            "only {budget} fit ({n_ctx} context - {max_tokens} for the answer); shorten it "
            "or raise the model's context size",
            ja="メッセージが長すぎます: 指示と合わせて {needed} トークン必要ですが、"
            "入るのは {budget} トークンまでです（コンテキスト {n_ctx} − 回答用 {max_tokens}）。"
            "メッセージを短くするか、モデルのコンテキスト長を上げてください",
        )
    ),
    # ---- chat templates
    "models.template_too_large": Entry(
        Text(
            en="the model's chat template is too large to use",
            ja="モデルのチャットテンプレートが大きすぎて使えません",
        )
    ),
    "models.template_unknown_role": Entry(
        Text(
            en="unknown chat role {role!r}",
            ja="チャットのロール「{role}」は使えません",
        )
    ),
    "models.template_forbidden": Entry(
        Text(
            en="the model's chat template tried something the sandbox forbids ({reason})",
            ja="モデルのチャットテンプレートが、サンドボックスで禁止されている処理を"
            "実行しようとしました（{reason}）",
        )
    ),
    "models.template_refused": Entry(
        Text(
            en="the model's chat template refused the messages: {reason}",
            ja="モデルのチャットテンプレートがメッセージを受け付けませんでした: {reason}",
        )
    ),
    "models.template_failed": Entry(
        Text(
            en="the model's chat template failed: {reason}",
            ja="モデルのチャットテンプレートでエラーが起きました: {reason}",
        )
    ),
    # ---- the model host process
    "models.host_failed": Entry(
        Text(
            en="the model process failed: try again",
            ja="モデルのプロセスでエラーが起きました。もう一度お試しください",
        )
    ),
    "models.host_stopped_signal": Entry(
        Text(
            en="the model process stopped ({signal}); Kura and your data are unaffected: try "
            "again, and if it happens again {advice}",
            ja="モデルのプロセスが停止しました（{signal}）。Kura とデータには影響ありません。"
            "もう一度お試しください。再び起きる場合は、{advice}",
        )
    ),
    "models.host_stopped_exit": Entry(
        Text(
            en="the model process stopped (exit code {exit_code}); Kura and your data are "
            "unaffected: try again, and if it happens again {advice}",
            ja="モデルのプロセスが停止しました（終了コード {exit_code}）。Kura とデータには"
            "影響ありません。もう一度お試しください。再び起きる場合は、{advice}",
        )
    ),
    "models.host_start_timeout": Entry(
        Text(
            en="the model process did not start in time: restart Kura",
            ja="モデルのプロセスが時間内に起動しませんでした。Kura を再起動してください",
        )
    ),
    "models.host_version_mismatch": Entry(
        Text(
            en="the model process speaks another version: reinstall Kura",
            ja="モデルのプロセスのバージョンが合いません。Kura をインストールし直してください",
        )
    ),
    "models.host_no_reply": Entry(
        Text(
            en="the model process sent no reply to {op}: try again",
            ja="モデルのプロセスから {op} への応答がありませんでした。もう一度お試しください",
        )
    ),
    "models.host_malformed_reply": Entry(
        Text(
            en="the model process sent a malformed reply (no {key}): try again",
            ja="モデルのプロセスから不正な応答が届きました（{key} がありません）。"
            "もう一度お試しください",
        )
    ),
    "models.host_stopped_before_answer": Entry(
        Text(
            en="the model process stopped before the answer began: ask again",
            ja="回答が始まる前にモデルのプロセスが停止しました。もう一度質問してください",
        )
    ),
    "models.host_answer_gone": Entry(
        Text(
            en="that answer was already read or dropped: ask again",
            ja="その回答はすでに読み出されたか破棄されています。もう一度質問してください",
        )
    ),
    "models.host_unknown_request": Entry(
        Text(
            en="the model host does not know {op!r}: update Kura",
            ja="モデルのホストは「{op}」という要求を知りません。Kura を更新してください",
        )
    ),
    "models.unknown_runtime": Entry(
        Text(en="unknown runtime {name!r}", ja="ランタイム「{name}」は不明です")
    ),
    "models.runtime_failed": Entry(
        Text(
            en="the model runtime failed ({kind}: {reason}): try again",
            ja="モデルのランタイムでエラーが起きました（{kind}: {reason}）。もう一度お試しください",
        )
    ),
    # ---- embeddings
    "models.embed_needs_strings": Entry(
        Text(
            en="embed takes a sequence of strings",
            ja="embed には文字列の並びを渡してください",
        )
    ),
    "models.pii_needs_strings": Entry(
        Text(
            en="personal-data detection takes a sequence of strings",
            ja="個人情報の検出には文字列の並びを渡してください",
        )
    ),
    "models.embed_wrong_shape": Entry(
        Text(
            en="the embedding model returned shape {shape}, expected ({count}, {dimension})",
            ja="埋め込みモデルが返した配列の形が {shape} です（期待値は ({count}, {dimension})）",
        )
    ),
}
