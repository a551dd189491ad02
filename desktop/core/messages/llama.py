"""Messages of the local inference engine (codes start with ``llama.``): reading a GGUF
file, loading a model with llama.cpp, and generating an answer.

These errors may be raised inside the model host process and cross to Kura's process as
a code and parameters, so every parameter is plain data (text or a number). What
llama.cpp or the GGUF parser says about a fault (``reason``, ``problem``, ``detail``,
``where``) is technical detail and is shown as it is."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- the model file
    "llama.model_file_missing": Entry(
        Text(
            en="{name}: no such model file: check the path",
            ja="{name}: モデルファイルがありません。パスを確かめてください",
        )
    ),
    "llama.model_file_unreadable": Entry(
        Text(
            en="{name}: cannot read the model file ({reason})",
            ja="{name}: モデルファイルを読み込めません（{reason}）",
        )
    ),
    "llama.model_file_gone": Entry(
        Text(
            en="{name}: the model file is gone: register it again",
            ja="{name}: モデルファイルがなくなっています。もう一度登録してください",
        )
    ),
    # ---- the GGUF format
    "llama.gguf_bad_magic": Entry(
        Text(
            en="{name}: not a GGUF file (magic {magic})",
            ja="{name}: GGUF ファイルではありません（マジックナンバー {magic}）",
        )
    ),
    "llama.gguf_too_short": Entry(
        Text(
            en="{name}: not a GGUF file (only {size} bytes)",
            ja="{name}: GGUF ファイルではありません（{size} バイトしかありません）",
        )
    ),
    "llama.gguf_big_endian": Entry(
        Text(
            en="{name}: a big-endian GGUF is not supported (only little-endian versions 2 "
            "and 3): convert the model with a recent llama.cpp",
            ja="{name}: ビッグエンディアンの GGUF には対応していません（対応しているのは"
            "リトルエンディアンのバージョン 2 と 3 だけです）。新しい llama.cpp でモデルを"
            "変換してください",
        )
    ),
    "llama.gguf_version_unsupported": Entry(
        Text(
            en="{name}: GGUF {version} is not supported (only little-endian versions 2 "
            "and 3): convert the model with a recent llama.cpp",
            ja="{name}: GGUF {version} には対応していません（対応しているのはリトル"
            "エンディアンのバージョン 2 と 3 だけです）。新しい llama.cpp でモデルを"
            "変換してください",
        )
    ),
    "llama.gguf_truncated": Entry(
        Text(
            en="{name}: truncated GGUF: {detail}",
            ja="{name}: GGUF ファイルが途中で切れています: {detail}",
        )
    ),
    "llama.gguf_ends_inside": Entry(
        Text(
            en="{name}: truncated GGUF: the file ends inside {where}",
            ja="{name}: GGUF ファイルが途中で切れています（{where} の途中でファイルが"
            "終わっています）",
        )
    ),
    "llama.gguf_invalid": Entry(
        Text(
            en="{name}: invalid GGUF: {problem} (in {where})",
            ja="{name}: GGUF ファイルの内容が正しくありません: {problem}（{where}）",
        )
    ),
    "llama.gguf_no_architecture": Entry(
        Text(
            en="{name}: invalid GGUF: general.architecture is missing",
            ja="{name}: GGUF ファイルの内容が正しくありません: general.architecture がありません",
        )
    ),
    "llama.gguf_no_tensors": Entry(
        Text(
            en="{name}: the GGUF has no tensors (a vocabulary-only file?)",
            ja="{name}: この GGUF にはテンソルがありません（語彙だけのファイルではありませんか？）",
        )
    ),
    # ---- loading a model
    "llama.engine_missing": Entry(
        Text(
            en="the local inference engine (llama-cpp-python) is not installed: reinstall Kura",
            ja="ローカルの推論エンジン（llama-cpp-python）がインストールされていません。"
            "Kura をインストールし直してください",
        )
    ),
    "llama.load_failed": Entry(
        Text(
            en="{name}: llama.cpp could not load the model ({reason}): check the file, or "
            "lower the context size or GPU layers",
            ja="{name}: llama.cpp でモデルを読み込めませんでした（{reason}）。ファイルを"
            "確かめるか、コンテキスト長か GPU レイヤー数を下げてください",
        )
    ),
    "llama.no_gpu_offload": Entry(
        Text(
            en="this llama-cpp-python build cannot offload to a GPU: set GPU layers to 0 or "
            "auto, or install a GPU build of llama-cpp-python",
            ja="この llama-cpp-python のビルドは GPU にオフロードできません。GPU レイヤーを"
            " 0 か「自動」にするか、GPU 対応の llama-cpp-python をインストールしてください",
        )
    ),
    "llama.no_model_loaded": Entry(
        Text(
            en="no model is loaded: choose a model for this app first",
            ja="モデルが読み込まれていません。先にこのアプリのモデルを選んでください",
        )
    ),
    # ---- generating
    "llama.prompt_empty": Entry(Text(en="the prompt is empty", ja="プロンプトが空です")),
    "llama.context_overflow": Entry(
        Text(
            en="the prompt needs {tokens} tokens but the context holds {n_ctx}: shorten it "
            "or raise the model's context size",
            ja="プロンプトには {tokens} トークンが必要ですが、コンテキストには {n_ctx} "
            "トークンしか入りません。プロンプトを短くするか、モデルのコンテキスト長を"
            "大きくしてください",
        )
    ),
    "llama.generation_failed": Entry(
        Text(
            en="the model failed while answering ({reason}): try again or reload the model",
            ja="回答の生成中にモデルでエラーが起きました（{reason}）。もう一度試すか、"
            "モデルを読み込み直してください",
        )
    ),
}
