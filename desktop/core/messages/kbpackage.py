"""Messages of knowledge-base packages and the keys they travel under (codes start with
``kbpackage.``): ``kura kb export`` / ``import``, ``kura keys exchange-pubkey`` /
``trust`` / ``trusted``."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

_ASK_AGAIN = Text(
    en="ask the sender to export it again",
    ja="送り手にもう一度エクスポートしてもらってください",
)

MESSAGES: dict[str, Entry] = {
    "kbpackage.what_passphrase": Entry(
        Text(en="the package's passphrase", ja="パッケージのパスフレーズ")
    ),
    "kbpackage.malformed": Entry(
        Text(
            en="the knowledge-base package is malformed ({what}) although its signature is "
            "valid: {remedy}",
            ja="ナレッジベースのパッケージの形式が正しくありません（{what}）。署名は有効です。"
            "{remedy}",
        ),
        cli=Text(
            en="ask the sender to export it again with the same Kura version as yours",
            ja="同じバージョンの Kura で送り手にもう一度エクスポートしてもらってください",
        ),
        gui=Text(
            en="ask the sender to export it again with the same Kura version as yours",
            ja="同じバージョンの Kura で送り手にもう一度エクスポートしてもらってください",
        ),
    ),
    "kbpackage.format_unknown": Entry(
        Text(
            en="the package has format {format}, which this Kura does not read: update Kura "
            "and import it again",
            ja="このパッケージの形式 {format} はこの Kura では読めません。Kura を更新してから"
            "もう一度インポートしてください",
        )
    ),
    "kbpackage.not_a_package": Entry(
        Text(
            en="the file is not a Kura knowledge-base package (not age-encrypted): choose "
            "the file `kura kb export` wrote",
            ja="このファイルは Kura のナレッジベースのパッケージではありません（age で暗号化"
            "されていません）。`kura kb export` が書いたファイルを選んでください",
        )
    ),
    "kbpackage.cannot_decrypt": Entry(
        Text(
            en="the package cannot be decrypted: it is encrypted to another workspace, or it "
            "was altered; {remedy}",
            ja="パッケージを復号できません。別のワークスペース宛てに暗号化されているか、"
            "改変されています。{remedy}",
        ),
        cli=Text(
            en="give the sender the key `kura keys exchange-pubkey` prints and ask them to "
            "export it again to it",
            ja="`kura keys exchange-pubkey` が表示する鍵を送り手に渡し、その鍵宛てにもう一度"
            "エクスポートしてもらってください",
        ),
        gui=Text(
            en="give the sender this workspace's exchange key (Knowledge, Import) and ask "
            "them to export it again to it",
            ja="このワークスペースの交換用公開鍵（ナレッジ → インポート）を送り手に渡し、"
            "その鍵宛てにもう一度エクスポートしてもらってください",
        ),
    ),
    "kbpackage.wrong_passphrase": Entry(
        Text(
            en="the package cannot be decrypted with this passphrase, or it was altered: "
            "check the passphrase with the sender and try again",
            ja="このパスフレーズではパッケージを復号できないか、パッケージが改変されています。"
            "送り手にパスフレーズを確認してから、もう一度試してください",
        )
    ),
    "kbpackage.passphrase_needed": Entry(
        Text(
            en="the package is protected by a passphrase: {remedy}",
            ja="このパッケージはパスフレーズで保護されています。{remedy}",
        ),
        cli=Text(
            en="import it with --passphrase-stdin and give the passphrase",
            ja="--passphrase-stdin を付けてインポートし、パスフレーズを入力してください",
        ),
        gui=Text(en="enter its passphrase", ja="パスフレーズを入力してください"),
    ),
    "kbpackage.passphrase_not_used": Entry(
        Text(
            en="the package is encrypted to a workspace's key, not a passphrase: import it "
            "without a passphrase",
            ja="このパッケージはパスフレーズではなくワークスペースの鍵宛てに暗号化されています。"
            "パスフレーズなしでインポートしてください",
        )
    ),
    "kbpackage.passphrase_empty": Entry(
        Text(
            en="the passphrase is empty: give a passphrase, or encrypt to a recipient instead",
            ja="パスフレーズが空です。パスフレーズを入力するか、受け手の鍵宛てに暗号化してください",
        )
    ),
    "kbpackage.no_exchange_key": Entry(
        Text(
            en="this workspace has no exchange key yet, so no package can be addressed to it: "
            "{remedy}",
            ja="このワークスペースにはまだ交換用の鍵がないため、宛先になることができません。"
            "{remedy}",
        ),
        cli=Text(
            en="run `kura keys exchange-pubkey`, give the key to the sender and ask them to "
            "export again",
            ja="`kura keys exchange-pubkey` を実行し、その鍵を送り手に渡してもう一度"
            "エクスポートしてもらってください",
        ),
        gui=Text(
            en="copy this workspace's exchange key, give it to the sender and ask them to "
            "export again",
            ja="このワークスペースの交換用公開鍵をコピーして送り手に渡し、もう一度"
            "エクスポートしてもらってください",
        ),
    ),
    "kbpackage.signature_invalid": Entry(
        Text(
            en="the package's signature is not valid: it was altered after it was signed; {remedy}",
            ja="パッケージの署名が無効です。署名の後に改変されています。{remedy}",
        ),
        cli=_ASK_AGAIN,
        gui=_ASK_AGAIN,
    ),
    "kbpackage.signer_untrusted": Entry(
        Text(
            en="the package is signed by key {fingerprint} ({identity}), which this workspace "
            "does not trust: {remedy}",
            ja="パッケージは鍵 {fingerprint}（{identity}）で署名されていますが、この"
            "ワークスペースはその鍵を信頼していません。{remedy}",
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
    "kbpackage.recipient_invalid": Entry(
        Text(
            en="{value} is not an age recipient: give the age1... key that `kura keys "
            "exchange-pubkey` prints on the receiving workspace",
            ja="{value} は age の受信者の鍵ではありません。受け手のワークスペースで "
            "`kura keys exchange-pubkey` が表示する age1... の鍵を指定してください",
        )
    ),
    "kbpackage.identity_invalid": Entry(
        Text(
            en="the exchange key in the OS keyring is damaged: run `kura keys "
            "exchange-pubkey` after deleting it, and give the new key to the senders",
            ja="OS のキーリングにある交換用の鍵が壊れています。削除してから "
            "`kura keys exchange-pubkey` を実行し、新しい鍵を送り手に渡してください",
        )
    ),
    "kbpackage.no_recipient": Entry(
        Text(
            en="no recipient given: give --to AGE_RECIPIENT or --passphrase-stdin",
            ja="受け手が指定されていません。--to AGE_RECIPIENT か --passphrase-stdin を"
            "指定してください",
        )
    ),
    "kbpackage.recipient_or_passphrase": Entry(
        Text(
            en="encrypt either to recipients or with a passphrase: {remedy}",
            ja="受け手の鍵かパスフレーズのどちらか一方で暗号化します。{remedy}",
        ),
        cli=Text(
            en="give --to AGE_RECIPIENT (repeatable) or --passphrase-stdin, not both",
            ja="--to AGE_RECIPIENT（複数可）か --passphrase-stdin の一方だけを指定してください",
        ),
        gui=Text(
            en="enter recipients or a passphrase, not both",
            ja="受け手の鍵かパスフレーズの一方だけを入力してください",
        ),
    ),
    "kbpackage.too_large": Entry(
        Text(
            en="the package is larger than {limit} MiB: split the knowledge base and "
            "export it in parts",
            ja="パッケージが {limit} MiB を超えています。ナレッジベースを分けて"
            "エクスポートしてください",
        )
    ),
    "kbpackage.kb_exists": Entry(
        Text(
            en="a knowledge base named {name} already exists: {remedy}",
            ja="「{name}」という名前のナレッジベースはすでにあります。{remedy}",
        ),
        cli=Text(
            en="import with --into {name} to add its documents as new versions, or rename "
            "yours with `kura kb edit`",
            ja="--into {name} を付けてインポートして新しい版として追加するか、"
            "`kura kb edit` で既存のものの名前を変えてください",
        ),
        gui=Text(
            en="import it into {name} to add its documents as new versions, or rename yours",
            ja="「{name}」へのインポートを選んで新しい版として追加するか、既存のものの名前を"
            "変えてください",
        ),
    ),
    "kbpackage.reembed_failed": Entry(
        Text(
            en="the package's passages could not be embedded again with this workspace's "
            "embedding model ({error}): nothing was imported; fix the model and import again",
            ja="このワークスペースの埋め込みモデルでパッケージの文章を埋め込み直せませんでした"
            "（{error}）。何もインポートしていません。モデルを直してからもう一度インポート"
            "してください",
        )
    ),
    "kbpackage.trust_empty": Entry(
        Text(
            en="the file holds no allowed_signers line: give the lines `kura logs pubkey` "
            "prints on the sending workspace",
            ja="ファイルに allowed_signers の行がありません。送り手のワークスペースで "
            "`kura logs pubkey` が表示する行を指定してください",
        )
    ),
    "kbpackage.signer_namespace": Entry(
        Text(
            en="the package's signer {fingerprint} is trusted, but its trusted line's "
            "namespaces= does not include {namespace}: nothing was imported; {remedy}",
            ja="パッケージの署名者 {fingerprint} は信頼されていますが、その信頼の行の "
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
    "kbpackage.trust_line_invalid": Entry(
        Text(
            en="line {line} is not an allowed_signers line with an ssh-ed25519 key: give the "
            "lines `kura logs pubkey` prints, unchanged",
            ja="{line} 行目は ssh-ed25519 の鍵を持つ allowed_signers の行ではありません。"
            "`kura logs pubkey` が表示する行をそのまま指定してください",
        )
    ),
}
