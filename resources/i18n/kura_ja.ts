<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AboutPage</name>
    <message>
        <location filename="../../desktop/ui/settings/about.py" line="+63"/>
        <source>About</source>
        <translation>このアプリについて</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kura</source>
        <translation>Kura</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+57"/>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PySide6</source>
        <translation>PySide6</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Model runtime</source>
        <translation>モデル実行環境</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Build</source>
        <translation>ビルド</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU features</source>
        <translation>CPU 機能</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Devices</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU offload</source>
        <translation>GPU オフロード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model host</source>
        <translation>モデルホスト</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Support details</source>
        <translation>サポート情報</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give these to whoever supports your Kura installation.</source>
        <translation>Kura のサポート担当者に伝えてください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workspace ID</source>
        <translation>ワークスペース ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder</source>
        <translation>データフォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Licences</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The components Kura is built from, and the licence of each.</source>
        <translation>Kura を構成するコンポーネントと、それぞれのライセンスです。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Component</source>
        <translation>コンポーネント</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This build carries no package metadata to list licences from.</source>
        <translation>このビルドにはパッケージのメタデータが含まれていないため、ライセンスを一覧表示できません。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checking…</source>
        <translation>確認しています…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Not checked: this setup has no model host.</source>
        <translation>未確認：この構成にはモデルホストがありません。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>未確認</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Not stated</source>
        <translation>記載なし</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>llama.cpp {backend} build, CPU baseline {baseline}</source>
        <translation>llama.cpp {backend} ビルド、CPU の基準 {baseline}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>llama-cpp-python {version}, not built by Kura&apos;s build step: reinstall Kura to get its tested build.</source>
        <translation>llama-cpp-python {version} は Kura のビルド手順で作られていません。検証済みのビルドを使うには Kura を再インストールしてください。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+24"/>
        <source>None reported</source>
        <translation>報告なし</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Layers can run on the GPU</source>
        <translation>レイヤーを GPU で実行できます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not available: this build runs on the CPU only</source>
        <translation>利用できません：このビルドは CPU のみで動作します</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Starts in {seconds} s; confined by {rules}</source>
        <translation>{seconds} 秒で起動、{rules} で制限</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{size} GiB</source>
        <translation>{size} GiB</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unknown: the model host did not start.</source>
        <translation>不明：モデルホストが起動しませんでした。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Did not start</source>
        <translation>起動しませんでした</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Copied the support details.</source>
        <translation>サポート情報をコピーしました。</translation>
    </message>
</context>
<context>
    <name>AddMemberDialog</name>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="+122"/>
        <source>Add a member</source>
        <translation>メンバーを追加</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add member</source>
        <translation>追加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. mika (used to sign in)</source>
        <translation>例：mika（サインインに使用）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. Mika Tanaka (optional)</source>
        <translation>例：田中 美香（任意）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>User name</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>ロール</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type a user name.</source>
        <translation>ユーザー名を入力してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Added {name}.</source>
        <translation>{name} を追加しました。</translation>
    </message>
</context>
<context>
    <name>AnswerActions</name>
    <message>
        <location filename="../../desktop/ui/chat/actions.py" line="+53"/>
        <source>Kura does not open web pages. The link was copied: {url}</source>
        <translation>Kura は Web ページを開きません。リンクをコピーしました：{url}</translation>
    </message>
</context>
<context>
    <name>AnswerBubble</name>
    <message>
        <location filename="../../desktop/ui/chat/messages.py" line="+128"/>
        <location line="+135"/>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Copy the answer</source>
        <translation>回答をコピー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate</source>
        <translation>再生成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer this message again</source>
        <translation>このメッセージにもう一度回答させる</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Helpful</source>
        <translation>役に立った</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rate this answer as helpful</source>
        <translation>この回答を「役に立った」と評価</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not helpful</source>
        <translation>役に立たなかった</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rate this answer as unhelpful</source>
        <translation>この回答を「役に立たなかった」と評価</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thinking…</source>
        <translation>考えています…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Writing…</source>
        <translation>回答を作成しています…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Stopped</source>
        <translation>停止しました</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cut off at the length limit</source>
        <translation>長さの上限で打ち切られました</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incomplete: the model stopped part-way</source>
        <translation>未完了：モデルが途中で停止しました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>First token after {wait}</source>
        <translation>最初のトークンまで {wait}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} トークン/秒</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>[{n}] {document} · v{version}</source>
        <translation>[{n}] {document} · v{version}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open the passage and its document version</source>
        <translation>抜粋と、そのドキュメントのバージョンを開く</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Section: {heading}</source>
        <translation>セクション：{heading}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
</context>
<context>
    <name>AppEditor</name>
    <message>
        <location filename="../../desktop/ui/studio/editor.py" line="+80"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. Support assistant</source>
        <translation>例：サポートアシスタント</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An emoji</source>
        <translation>絵文字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What the app is for</source>
        <translation>アプリの用途</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No models yet: the Owner registers one in Models.</source>
        <translation>モデルがまだありません。オーナーが「モデル」で登録します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Icon</source>
        <translation>アイコン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Instructions</source>
        <translation>指示</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You are a friendly assistant for {{topic}}. Answer briefly.</source>
        <translation>あなたは {{topic}} についての親切なアシスタントです。簡潔に答えてください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Model parameters</source>
        <translation>モデルのパラメーター</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Higher is more varied, lower more predictable</source>
        <translation>高いほど多様に、低いほど予測しやすくなります</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Random</source>
        <translation>ランダム</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max answer tokens</source>
        <translation>回答の最大トークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat penalty</source>
        <translation>繰り返しペナルティ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Conversation start</source>
        <translation>会話の開始</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hello! Ask me anything about…</source>
        <translation>こんにちは！…について何でもお尋ねください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opening statement</source>
        <translation>オープニングメッセージ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggested questions</source>
        <translation>おすすめの質問</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Knowledge and access</source>
        <translation>ナレッジとアクセス</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No knowledge bases you can read yet.</source>
        <translation>閲覧できるナレッジベースはまだありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All members</source>
        <translation>全メンバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chosen members</source>
        <translation>選択したメンバー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read every document for each question</source>
        <translation>質問ごとにすべての文書を読む</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>For questions like “list every…” or “how many…”: the model reads all of the documents in batches instead of the best few passages (much slower).</source>
        <translation>「〜をすべて挙げて」「〜はいくつ」のような質問向けです。関連する数件の文章だけでなく、すべての文書を何回かに分けてモデルが読みます（かなり時間がかかります）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Knowledge bases</source>
        <translation>ナレッジベース</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Who can use it</source>
        <translation>利用できるユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>{name} (not allowed for this app)</source>
        <translation>{name}（このアプリでは使用不可）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its settings in Knowledge list the apps that may use it.</source>
        <translation>利用できるアプリは「ナレッジ」の設定で指定します。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>(missing model)</source>
        <translation>（モデルが見つかりません）</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Variables: {names} — each new chat asks for them under the labels below.</source>
        <translation>変数：{names} — 新しいチャットを始めるたびに、下の表示名で入力を求めます。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write {{name}} in the instructions to ask for a value per chat.</source>
        <translation>指示に {{name}} と書くと、チャットごとに値の入力を求めます。</translation>
    </message>
</context>
<context>
    <name>AppFilter</name>
    <message>
        <location filename="../../desktop/ui/logs/filters.py" line="+73"/>
        <source>All apps</source>
        <translation>すべてのアプリ</translation>
    </message>
</context>
<context>
    <name>BackupsPage</name>
    <message>
        <location filename="../../desktop/ui/settings/backups.py" line="+46"/>
        <source>A backup holds the whole workspace, encrypted under a key of its own and signed by the workspace. The recovery key the workspace has when the backup is made opens it (kura restore). Keep backups on another disk.</source>
        <translation>バックアップにはワークスペース全体が、専用のキーで暗号化され、ワークスペースの署名付きで入ります。復元するときは、バックアップ作成時点のワークスペースの回復キーで開けます。バックアップは別のディスクに保管してください。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Backups</source>
        <translation>バックアップ</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+13"/>
        <source>Back up now</source>
        <translation>今すぐバックアップ</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Choose folder…</source>
        <translation>フォルダーを選択…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last backup</source>
        <translation>最後のバックアップ</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Schedule</source>
        <translation>スケジュール</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Daily</source>
        <translation>毎日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weekly</source>
        <translation>毎週</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back up</source>
        <translation>バックアップ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep the last</source>
        <translation>保持する数（新しい順）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scheduled backups go to the folder above while Kura is open; older scheduled backups in that folder beyond the number kept are deleted.</source>
        <translation>スケジュールによるバックアップは、Kura が開いている間に上のフォルダーへ作成されます。そのフォルダーにある古いスケジュールバックアップのうち、保持する数を超えたものは削除されます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save schedule</source>
        <translation>スケジュールを保存</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No backup yet.</source>
        <translation>まだバックアップはありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{at} — {file} ({size})</source>
        <translation>{at} — {file}（{size}）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No folder chosen.</source>
        <translation>フォルダーが選ばれていません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder for backups</source>
        <translation>バックアップの保存先フォルダー</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking the database and the audit log…</source>
        <translation>データベースと監査ログを検査しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exporting an encrypted snapshot…</source>
        <translation>暗号化したスナップショットを書き出しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signing and writing the file…</source>
        <translation>署名してファイルに書き込んでいます…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a folder for backups first.</source>
        <translation>先にバックアップの保存先フォルダーを選んでください。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Backed up to {path}.</source>
        <translation>{path} にバックアップしました。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Schedule saved.</source>
        <translation>スケジュールを保存しました。</translation>
    </message>
</context>
<context>
    <name>ChangeRoleDialog</name>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="+10"/>
        <source>Change role</source>
        <translation>ロールを変更</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New role</source>
        <translation>新しいロール</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>When the workspace requires approval, a role an Admin raises waits for the Owner.</source>
        <translation>ワークスペースで承認が必須の場合、管理者によるロールの引き上げはオーナーの承認待ちになります。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{name}: {role} requested; it takes effect when the Owner approves.</source>
        <translation>{name}：{role}への変更を申請しました。オーナーが承認すると有効になります。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is now {role}.</source>
        <translation>{name} のロールを{role}に変更しました。</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../../desktop/ui/chat/pane.py" line="+82"/>
        <source>Type a message — Enter sends, Shift+Enter starts a new line</source>
        <translation>メッセージを入力 — Enter で送信、Shift+Enter で改行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel edit</source>
        <translation>編集をキャンセル</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the conversation as it is (Esc)</source>
        <translation>会話をそのままにする（Esc）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Read every document</source>
        <translation>全文書を読む</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Have the model read every passage of this chat&apos;s documents for the question, in batches: slower, for questions like “list every …” or “how many …”</source>
        <translation>このチャットの文書のすべての箇所をモデルに分けて読ませて質問に答えます。時間はかかりますが、「…をすべて挙げて」「…はいくつ」のような質問に向いています</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+96"/>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <location line="-94"/>
        <location line="+85"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>Stop the answer (Esc); what was written is kept</source>
        <translation>回答を停止（Esc）。それまでの内容は残ります</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Model: {name} · {memory}</source>
        <translation>モデル: {name} · {memory}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>needs about {ram} of memory and {vram} of GPU memory</source>
        <translation>メモリ約 {ram}、GPU メモリ約 {vram} が必要</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>needs about {ram} of memory</source>
        <translation>メモリ約 {ram} が必要</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loading {model}: {percent}% · {memory}</source>
        <translation>{model} を読み込み中: {percent}% · {memory}</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Send edit</source>
        <translation>編集を送信</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopping…</source>
        <translation>停止しています…</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../desktop/ui/chat/view.py" line="+54"/>
        <source>Chat</source>
        <translation>チャット</translation>
    </message>
    <message>
        <location line="+207"/>
        <source>Your role may not use apps.</source>
        <translation>あなたのロールではアプリを利用できません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model yet — add a GGUF model, then chat with it here</source>
        <translation>モデルがまだありません。GGUF モデルを追加すると、ここでチャットできます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a model…</source>
        <translation>モデルを追加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model yet — ask the Owner to add one</source>
        <translation>モデルがまだありません。オーナーに追加を依頼してください</translation>
    </message>
</context>
<context>
    <name>ChunksDialog</name>
    <message>
        <location filename="../../desktop/ui/knowledge/chunks.py" line="+32"/>
        <source>How {name} was split</source>
        <translation>{name} の分割のされ方</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chunk</source>
        <translation>チャンク</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Heading</source>
        <translation>見出し</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Characters</source>
        <translation>文字数</translation>
    </message>
</context>
<context>
    <name>CitationDialog</name>
    <message>
        <location filename="../../desktop/ui/chat/dialogs.py" line="+27"/>
        <source>Source [{n}]</source>
        <translation>出典 [{n}]</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Section: {heading}</source>
        <translation>セクション：{heading}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Knowledge base “{kb}”, version {version}</source>
        <translation>ナレッジベース「{kb}」、バージョン {version}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{where} (the current version)</source>
        <translation>{where}（現在のバージョン）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} — a newer version has replaced it since this answer</source>
        <translation>{where} — この回答の後、新しいバージョンに置き換えられています</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="+48"/>
        <source>Type the user name</source>
        <translation>ユーザー名を入力</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Type the user name exactly to confirm.</source>
        <translation>確認のため、ユーザー名を正確に入力してください。</translation>
    </message>
</context>
<context>
    <name>ContextGauge</name>
    <message>
        <location filename="../../desktop/ui/chat/gauge.py" line="+54"/>
        <source>Context {percent}% ({used} of {total} tokens)</source>
        <translation>コンテキスト {percent}%（{total} トークン中 {used}）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} トークン/秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Generating…</source>
        <translation>生成しています…</translation>
    </message>
</context>
<context>
    <name>ConversationPanel</name>
    <message>
        <location filename="../../desktop/ui/chat/conversations.py" line="+172"/>
        <source>The app to chat with</source>
        <extracomment>The app picker&apos;s entry for quick chats (no app: a model&apos;s built-in quick-chat app). How long the search box waits for more typing before it asks the service (ms).</extracomment>
        <translation>チャットするアプリ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New chat</source>
        <translation>新しいチャット</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New quick chat…</source>
        <translation>新しいクイックチャット…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chat with a model directly, without an app</source>
        <translation>アプリを作らずにモデルと直接チャットします</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search your conversations (Ctrl+K)</source>
        <translation>自分の会話を検索（Ctrl+K）</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+35"/>
        <source>No conversations yet — ask something to start one</source>
        <translation>会話はまだありません — 質問すると会話が始まります</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Quick chats</source>
        <translation>クイックチャット</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No conversation contains “{text}”</source>
        <translation>「{text}」を含む会話はありません</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Earlier</source>
        <translation>それ以前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{year}-{month}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Rename…</source>
        <translation>名前を変更…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rename conversation</source>
        <translation>会話の名前を変更</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title:</source>
        <translation>タイトル：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete conversation</source>
        <translation>会話を削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete “{title}” and all its messages? This cannot be undone.</source>
        <translation>「{title}」とそのすべてのメッセージを削除しますか？この操作は元に戻せません。</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../desktop/ui/chat/sending.py" line="+114"/>
        <source>Fill in {names} before sending.</source>
        <translation>送信する前に {names} を入力してください。</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Reading batch {n} of {total}…</source>
        <translation>バッチ {n} / {total} を読んでいます…</translation>
    </message>
</context>
<context>
    <name>DateRangeFilter</name>
    <message>
        <location filename="../../desktop/ui/logs/filters.py" line="-49"/>
        <source>Between</source>
        <translation>範囲を指定</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>and</source>
        <translation>～</translation>
    </message>
</context>
<context>
    <name>DetectorTester</name>
    <message>
        <location filename="../../desktop/ui/settings/pii_tester.py" line="+57"/>
        <source>Paste text and press Detect to see what Kura would mask. The text stays on this screen: it is not logged or stored.</source>
        <translation>テキストを貼り付けて「検出」を押すと、Kura がマスクする箇所を確認できます。テキストはこの画面にとどまり、ログにも保存もされません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e.g. 山田太郎さん（090-1234-5678）に taro@example.com で連絡</source>
        <translation>例：山田太郎さん（090-1234-5678）に連絡する</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Detect</source>
        <translation>検出</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Test the detector</source>
        <translation>検出器を試す</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Paste some text to test first.</source>
        <translation>先に試すテキストを貼り付けてください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>That is {n} characters: test at most {max} at a time.</source>
        <translation>{n} 文字あります。一度に試せるのは {max} 文字までです。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Personal-data detection is not available in this Kura: use a Kura build that includes the personal-data detector.</source>
        <translation>この Kura では個人情報の検出が使えません。個人情報検出を含む Kura を使ってください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No personal data found.</source>
        <translation>個人情報は見つかりませんでした。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Found: {parts}</source>
        <translation>検出：{parts}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../desktop/ui/knowledge/documents.py" line="+79"/>
        <source>Document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunks</source>
        <translation>チャンク</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation>追加日時</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No documents yet — drop files or folders above to add them.</source>
        <translation>ドキュメントはまだありません — 上の領域にファイルやフォルダーをドロップして追加してください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Versions…</source>
        <translation>バージョン…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chunks…</source>
        <translation>チャンク…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>See how the document was split into passages</source>
        <translation>ドキュメントがどのように抜粋へ分割されたかを見る</translation>
    </message>
</context>
<context>
    <name>EncryptionKeyPanel</name>
    <message>
        <location filename="../../desktop/ui/settings/keys.py" line="+48"/>
        <source>The workspace is encrypted with a key kept in your system keyring. The recovery key opens it if that keyring item is lost. Kura shows the recovery key once — when the workspace is created and after each rekey — and keeps no copy it could show again. To get a new recovery key, rekey: the old one then stops working.</source>
        <translation>ワークスペースは、システムのキーリングに保管されたキーで暗号化されています。キーリングのその項目が失われた場合は、リカバリーキーでワークスペースを開けます。Kura がリカバリーキーを表示するのは、ワークスペースの作成時とキーの更新時の一度だけで、再表示できるコピーは保持しません。新しいリカバリーキーが必要な場合はキーを更新してください。古いリカバリーキーはその時点で使えなくなります。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The current recovery key was never shown (a key rotation was interrupted). Rekey now to get a recovery key you can store.</source>
        <translation>現在のリカバリーキーは一度も表示されていません（キーの更新が中断されました）。今すぐキーを更新して、保管できるリカバリーキーを取得してください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rekey the database…</source>
        <translation>データベースのキーを更新…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Encryption key and recovery key</source>
        <translation>暗号化キーとリカバリーキー</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Wait for running replies and document imports to finish, then rekey.</source>
        <translation>実行中の回答とドキュメントの取り込みが終わってから、キーを更新してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rekey the database?</source>
        <translation>データベースのキーを更新しますか？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kura re-encrypts the whole database with a new key, stores that key in the system keyring and makes a new recovery key, which you see once. The old recovery key stops working. Large workspaces take a while; keep Kura open until it finishes.</source>
        <translation>Kura はデータベース全体を新しいキーで再暗号化し、そのキーをシステムのキーリングに保存して、新しいリカバリーキーを作成します（表示は一度だけです）。古いリカバリーキーは使えなくなります。大きなワークスペースでは時間がかかります。完了するまで Kura を開いたままにしてください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Re-encrypting…</source>
        <translation>再暗号化しています…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The database is under its new key.</source>
        <translation>データベースは新しいキーで暗号化されました。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Done. Only the new recovery key opens the workspace from now on.</source>
        <translation>完了しました。今後は新しいリカバリーキーでのみワークスペースを開けます。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/ui/errors.py" line="+49"/>
        <source>Kura</source>
        <translation>Kura</translation>
    </message>
</context>
<context>
    <name>ExportButton</name>
    <message>
        <location filename="../../desktop/ui/chat/export.py" line="+54"/>
        <source>Export</source>
        <extracomment>``fetch(target, then)``: read (title, turns) of the conversation on show through the service, which audits the export, and call ``then(title, turns)`` on the GUI thread.</extracomment>
        <translation>書き出し</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this conversation as Markdown or PDF, or print it</source>
        <translation>この会話を Markdown や PDF で保存、または印刷します</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print…</source>
        <translation>印刷…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>You</source>
        <translation>あなた</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Assistant</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export as Markdown</source>
        <translation>Markdown で書き出し</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export as PDF</source>
        <translation>PDF で書き出し</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/logs/export_dialog.py" line="+116"/>
        <source>Export a signed audit bundle</source>
        <extracomment>Events with a pseudonymised payload; None when not asked to pseudonymise.</extracomment>
        <translation>署名付き監査バンドルをエクスポート</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The bundle holds the audit log over the chosen days, signed with this workspace&apos;s key. Events outside the chosen app stay in it redacted, so the chain still verifies.</source>
        <translation>バンドルには、選択した期間の監査ログがこのワークスペースのキーで署名されて含まれます。選択したアプリ以外のイベントは内容を伏せた状態で残るため、チェーンの検証は引き続き可能です。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Choose a folder, e.g. a USB stick</source>
        <translation>フォルダーを選択（USB メモリーなど）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>File name</source>
        <translation>ファイル名</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Days</source>
        <translation>期間</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pseudonymise personal data</source>
        <translation>個人情報を仮名化する</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Names, phone numbers, My Numbers and other personal data in the exported events are replaced by pseudonyms; the bundle still verifies. The Owner can later disclose one value to an auditor with `kura logs prove`.</source>
        <translation>エクスポートするイベント中の氏名・電話番号・マイナンバーなどの個人情報を仮名に置き換えます。バンドルはそのまま検証できます。あとでオーナーが `kura logs prove` で一つの値を監査人に開示できます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading the signing key…</source>
        <translation>署名キーを読み込んでいます…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signing key</source>
        <translation>署名キー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give auditors this fingerprint in person, so they can trust the signature.</source>
        <translation>署名を信頼してもらえるよう、このフィンガープリントは監査担当者に直接伝えてください。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export</source>
        <translation>エクスポート</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>unavailable</source>
        <translation>取得できません</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Where to write the bundle</source>
        <translation>バンドルの保存先</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a folder and a file name first.</source>
        <translation>先にフォルダーとファイル名を選択してください。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Wrote {path}: events {first}–{last} ({count}, {redacted} redacted), signed by {fingerprint}. An auditor extracts it and checks the signature with:</source>
        <translation>{path} に書き出しました：イベント {first}–{last}（{count} 件、うち {redacted} 件は内容を伏せています）、{fingerprint} で署名。監査担当者はバンドルを展開し、次のコマンドで署名を確認します：</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Personal data pseudonymised in {count} events.</source>
        <translation>{count} 件のイベントで個人情報を仮名化しました。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>ExportPackageDialog</name>
    <message>
        <location filename="../../desktop/ui/knowledge/packages.py" line="+146"/>
        <source>Export {name} as a package</source>
        <translation>{name} をパッケージとしてエクスポート</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>age1… — the exchange key of each receiving workspace, one per line</source>
        <translation>age1… — 受け手の各ワークスペースの交換用公開鍵（1 行に 1 つ）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recipients</source>
        <translation>受け手</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>or a passphrase instead of recipients</source>
        <translation>または、受け手の代わりにパスフレーズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passphrase</source>
        <translation>パスフレーズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>エクスポート</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where to write the package</source>
        <translation>パッケージの保存先</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose where to write the package first.</source>
        <translation>先にパッケージの保存先を選んでください。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Wrote {path}: {documents} documents, {versions} versions, {chunks} passages, signed by this workspace. SHA-256 {sha256}</source>
        <translation>{path} に書き出しました：ドキュメント {documents} 件、バージョン {versions} 件、文章 {chunks} 件。このワークスペースで署名済みです。SHA-256 {sha256}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <location filename="../../desktop/ui/chat/dialogs.py" line="+13"/>
        <source>Helpful answer</source>
        <translation>役に立った回答</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unhelpful answer</source>
        <translation>役に立たなかった回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What was good about this answer? (optional)</source>
        <translation>この回答のどこが良かったですか？（任意）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What was wrong with this answer? (optional)</source>
        <translation>この回答のどこに問題がありましたか？（任意）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a comment for whoever reviews the logs</source>
        <translation>ログを確認する担当者へのコメントを追加</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send feedback</source>
        <translation>フィードバックを送信</translation>
    </message>
</context>
<context>
    <name>FileDropView</name>
    <message>
        <location filename="../../desktop/ui/chat/dropping.py" line="+99"/>
        <source>Fill in the fields before adding files.</source>
        <translation>ファイルを追加する前に、入力欄を埋めてください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Adding {n} file(s)…</source>
        <translation>{n} 件のファイルを追加しています…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Added {name} ({done} of {total})…</source>
        <translation>{name} を追加しました（{done}/{total}）…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ask about {names}: the answers in this chat draw on them.</source>
        <translation>{names} について質問できます。このチャットの回答はこれらのファイルを参照します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+6"/>
        <source>Not added: {names}.</source>
        <translation>追加されなかったファイル: {names}</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../desktop/ui/first_run/wizard.py" line="+93"/>
        <source>Step {n} of {total}</source>
        <translation>ステップ {n}/{total}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Welcome to Kura</source>
        <translation>Kura へようこそ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kura keeps your chat apps, knowledge bases and logs in one encrypted workspace on this computer. Its key is kept in the system keyring, never in a file. First, Kura checks that a keyring is available.</source>
        <translation>Kura は、チャットアプリ、ナレッジベース、ログを、このコンピューター上の 1 つの暗号化されたワークスペースに保管します。そのキーはファイルではなく、システムのキーリングに保管されます。まず、キーリングが利用できるかどうかを確認します。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Check again</source>
        <translation>再確認</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking the keyring…</source>
        <translation>キーリングを確認しています…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Keys will be kept in: {backend}</source>
        <translation>キーの保管先：{backend}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No usable keyring was found. On Linux, install and unlock GNOME Keyring or KWallet (a Secret Service), then press Check again.</source>
        <translation>使用できるキーリングが見つかりません。Linux の場合は GNOME Keyring または KWallet（Secret Service）をインストールしてロックを解除し、「再確認」を押してください。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Create the Owner</source>
        <translation>オーナーを作成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The Owner manages members, models and security. Choose a long passphrase: it protects everything in this workspace.</source>
        <translation>オーナーはメンバー、モデル、セキュリティを管理します。長いパスフレーズを設定してください。このワークスペースのすべてを保護します。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>e.g. tanaka</source>
        <translation>例：tanaka</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Passphrase</source>
        <translation>パスフレーズ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Repeat passphrase</source>
        <translation>パスフレーズ（確認）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create workspace</source>
        <translation>ワークスペースを作成</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Enter a user name for the Owner.</source>
        <translation>オーナーのユーザー名を入力してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The two passphrases differ: type them again.</source>
        <translation>2 つのパスフレーズが一致しません。もう一度入力してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the encrypted workspace…</source>
        <translation>暗号化されたワークスペースを作成しています…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Store your recovery key</source>
        <translation>リカバリーキーの保管</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>If this computer&apos;s keyring is lost, the recovery key is the only way to open the workspace again. Kura shows it once. Print it or save it to removable media and keep it somewhere safe.</source>
        <translation>このコンピューターのキーリングが失われた場合、ワークスペースを再び開く手段はリカバリーキーだけです。表示されるのは一度だけです。印刷するかリムーバブルメディアに保存し、安全な場所に保管してください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Show recovery key…</source>
        <translation>リカバリーキーを表示…</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <location filename="../../desktop/ui/settings/general.py" line="+42"/>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Kura remembers your choice for your account.</source>
        <translation>選択した言語はアカウントごとに保存されます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>As the system</source>
        <translation>システムに合わせる</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Workspace</source>
        <translation>ワークスペース</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyring</source>
        <translation>キーリング</translation>
    </message>
</context>
<context>
    <name>GpuLayersSpinBox</name>
    <message>
        <location filename="../../desktop/ui/settings/model_settings.py" line="+25"/>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All layers</source>
        <translation>すべてのレイヤー</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>0 (CPU only)</source>
        <translation>0（CPU のみ）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>None — all layers run on the CPU</source>
        <translation>なし — すべてのレイヤーを CPU で実行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This build of Kura has no GPU support: models run on the CPU.</source>
        <translation>この Kura のビルドは GPU に対応していません。モデルは CPU で実行されます。</translation>
    </message>
</context>
<context>
    <name>IdleTimeoutPanel</name>
    <message>
        <location filename="../../desktop/ui/settings/security.py" line="+63"/>
        <source> minutes</source>
        <translation> 分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Every window of this workspace locks after this long without input.</source>
        <translation>入力がないままこの時間が経過すると、このワークスペースのすべてのウィンドウがロックされます。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Windows lock after this long without input (set by the Owner or an Admin).</source>
        <translation>入力がないままこの時間が経過すると、ウィンドウがロックされます（オーナーまたは管理者が設定）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lock when idle</source>
        <translation>無操作時のロック</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Saved. Windows lock after {minutes} idle minutes.</source>
        <translation>保存しました。{minutes} 分間操作がないとウィンドウがロックされます。</translation>
    </message>
</context>
<context>
    <name>ImportPackageDialog</name>
    <message>
        <location filename="../../desktop/ui/knowledge/packages.py" line="+11"/>
        <source>Import a knowledge-base package</source>
        <translation>ナレッジベースのパッケージをインポート</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This workspace&apos;s exchange key</source>
        <translation>このワークスペースの交換用公開鍵</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give this key to the sender: they export the package to it.</source>
        <translation>この鍵を送り手に渡してください。送り手はこの鍵宛てにパッケージをエクスポートします。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A new knowledge base</source>
        <translation>新しいナレッジベース</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New versions in {name}</source>
        <translation>{name} に新しいバージョンとして追加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import as</source>
        <translation>インポート先</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only if the package has one</source>
        <translation>パッケージにパスフレーズがある場合のみ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passphrase</source>
        <translation>パスフレーズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import</source>
        <translation>インポート</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel import</source>
        <translation>インポートを中止</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose a package</source>
        <translation>パッケージを選択</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a package file first.</source>
        <translation>先にパッケージのファイルを選んでください。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cancelling… nothing is imported.</source>
        <translation>中止しています… 何もインポートされません。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import cancelled: nothing was imported.</source>
        <translation>インポートを中止しました。何もインポートされていません。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Imported into {name}: {added} versions added, {skipped} already present; signed by {signer}.</source>
        <translation>{name} にインポートしました：{added} 件のバージョンを追加、{skipped} 件は既存です。署名者 {signer}。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Its passages were embedded again with this workspace&apos;s model.</source>
        <translation>文章はこのワークスペースのモデルで埋め込み直しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>IngestPanel</name>
    <message>
        <location filename="../../desktop/ui/knowledge/ingest_panel.py" line="+113"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Drop files or folders here to add them</source>
        <translation>ここにファイルやフォルダーをドロップして追加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folders are searched for: {kinds}</source>
        <translation>フォルダー内で探す形式：{kinds}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add files…</source>
        <translation>ファイルを追加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add folder…</source>
        <translation>フォルダーを追加…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>進行状況</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Add files</source>
        <translation>ファイルを追加</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a folder</source>
        <translation>フォルダーを追加</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Looking for files…</source>
        <translation>ファイルを探しています…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot read it: {error}</source>
        <translation>読み込めません：{error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not found</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No files to add were found. Supported: {kinds}</source>
        <translation>追加できるファイルが見つかりませんでした。対応形式：{kinds}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Adding {count} file(s)…</source>
        <translation>{count} 件のファイルを追加しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+15"/>
        <source>Reading and indexing…</source>
        <translation>読み込みとインデックス作成を行っています…</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Indexed, waiting to be stored</source>
        <translation>インデックス作成済み、保存待ち</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cancelled before any file was added.</source>
        <translation>ファイルが追加される前にキャンセルされました。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+43"/>
        <source>Not added</source>
        <translation>追加されませんでした</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Cancelling… the file being stored is rolled back.</source>
        <translation>キャンセルしています… 保存中のファイルはロールバックされます。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stored as version {version} · {chunks} chunk(s)</source>
        <translation>バージョン {version} として保存 · {chunks} チャンク</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Unchanged: this version is stored</source>
        <translation>変更なし：このバージョンは保存済みです</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{added} added, {unchanged} unchanged, {failed} failed.</source>
        <translation>追加 {added} 件、変更なし {unchanged} 件、失敗 {failed} 件。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Stored before the run stopped: it stays</source>
        <translation>停止前に保存済み：そのまま残ります</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancelled: not added</source>
        <translation>キャンセル：追加されませんでした</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled. {kept} file(s) stored before the cancel stay; {dropped} were not added.</source>
        <translation>キャンセルしました。キャンセル前に保存された {kept} 件のファイルは残り、{dropped} 件は追加されませんでした。</translation>
    </message>
</context>
<context>
    <name>IntroPanel</name>
    <message>
        <location filename="../../desktop/ui/chat/messages.py" line="+29"/>
        <source>Ask anything to start the conversation.</source>
        <translation>何でも質問して会話を始めましょう。</translation>
    </message>
</context>
<context>
    <name>KbSettingsPanel</name>
    <message>
        <location filename="../../desktop/ui/knowledge/settings_panel.py" line="+58"/>
        <source>e.g. Product manuals</source>
        <translation>例：製品マニュアル</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What is in it, for whom</source>
        <translation>内容と対象者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete knowledge base…</source>
        <translation>ナレッジベースを削除…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+121"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="-112"/>
        <source>Only me</source>
        <translation>自分のみ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All members</source>
        <translation>全メンバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chosen members</source>
        <translation>選択したメンバー</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>None ticked: any app may link it.</source>
        <translation>何も選択しない場合は、どのアプリからもリンクできます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Who can read it</source>
        <translation>閲覧できるユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Apps that may link it</source>
        <translation>リンクできるアプリ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Linked by</source>
        <translation>リンクしているアプリ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hybrid (keywords and meaning)</source>
        <translation>ハイブリッド（キーワードと意味）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full text (keywords)</source>
        <translation>全文検索（キーワード）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vector (meaning)</source>
        <translation>ベクトル（意味）</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+2"/>
        <source> characters</source>
        <translation> 文字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search mode</source>
        <translation>検索モード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passages per question</source>
        <translation>質問あたりの抜粋数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minimum score</source>
        <translation>最小スコア</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunk size</source>
        <translation>チャンクサイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunk overlap</source>
        <translation>チャンクの重なり</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The bundled default (English only)</source>
        <translation>同梱の既定モデル（英語のみ）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose folder…</source>
        <translation>フォルダーを選択…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default</source>
        <translation>既定に戻す</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Embedding model</source>
        <translation>埋め込みモデル</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A sentence-transformers folder (see models/README.md); choose one that knows your documents&apos; languages. It cannot change once documents are added.</source>
        <translation>sentence-transformers のフォルダーです（models/README.md を参照）。ドキュメントの言語に対応したモデルを選んでください。ドキュメントを追加した後は変更できません。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Personal data</source>
        <translation>個人情報</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Create knowledge base</source>
        <translation>ナレッジベースを作成</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No app yet: link it from an app in Studio.</source>
        <translation>アプリはまだありません。スタジオでアプリからリンクしてください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No app links it yet (link it in Studio).</source>
        <translation>まだどのアプリからもリンクされていません（スタジオでリンクできます）。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Choose an embedding model folder</source>
        <translation>埋め込みモデルのフォルダーを選択</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Give the knowledge base a name.</source>
        <translation>ナレッジベースの名前を入力してください。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Created. Add documents in the Documents tab.</source>
        <translation>作成しました。「ドキュメント」タブでドキュメントを追加してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved.</source>
        <translation>保存しました。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete knowledge base</source>
        <translation>ナレッジベースを削除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {name} with all its documents and versions? Apps that link it stop using it. This cannot be undone.</source>
        <translation>{name} を、すべてのドキュメントとバージョンとともに削除しますか？リンクしているアプリでは使用されなくなります。この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>KnowledgeView</name>
    <message>
        <location filename="../../desktop/ui/knowledge/view.py" line="+70"/>
        <location line="+18"/>
        <source>Knowledge</source>
        <translation>ナレッジ</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+161"/>
        <source>New knowledge base</source>
        <translation>新しいナレッジベース</translation>
    </message>
    <message>
        <location line="-158"/>
        <source>Import package…</source>
        <translation>パッケージをインポート…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export package…</source>
        <translation>パッケージをエクスポート…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Choose a knowledge base on the left.</source>
        <translation>左の一覧からナレッジベースを選択してください。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Documents</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search test</source>
        <translation>検索テスト</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No knowledge bases yet — create one with “New knowledge base”.</source>
        <translation>ナレッジベースはまだありません — 「新しいナレッジベース」で作成してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No knowledge bases are shared with you yet.</source>
        <translation>あなたと共有されているナレッジベースはまだありません。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>only {creator}</source>
        <translation>{creator} のみ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all members</source>
        <translation>全メンバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} chosen member(s)</source>
        <translation>選択した {count} 人のメンバー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} — readable by {who}</source>
        <translation>{name} — 閲覧できるユーザー：{who}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Choose the knowledge base to export first.</source>
        <translation>先にエクスポートするナレッジベースを選んでください。</translation>
    </message>
</context>
<context>
    <name>LimitsCard</name>
    <message>
        <location filename="../../desktop/ui/usage_limits.py" line="+38"/>
        <source>Usage limits</source>
        <translation>利用上限</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>User, app or model</source>
        <translation>ユーザー・アプリ・モデル</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Limit</source>
        <translation>上限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Used</source>
        <translation>使用量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resets</source>
        <translation>リセット</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only the Owner can change limits (Set limits… above, or kura limits set).</source>
        <translation>上限を変えられるのはオーナーだけです（上の「上限を設定…」か kura limits set）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>User {name}</source>
        <translation>ユーザー {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App {name}</source>
        <translation>アプリ {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model {name}</source>
        <translation>モデル {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Tokens per day</source>
        <translation>1 日あたりのトークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per month</source>
        <translation>1 か月あたりのトークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requests per minute</source>
        <translation>1 分あたりのリクエスト数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answers at once</source>
        <translation>同時に生成する回答数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{used} of {allowed}</source>
        <translation>{allowed} のうち {used}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>as answers finish</source>
        <translation>回答が終わりしだい</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reached: new questions are refused until it resets.</source>
        <translation>上限に達しました。リセットされるまで新しい質問は受け付けません。</translation>
    </message>
</context>
<context>
    <name>LimitsEditor</name>
    <message>
        <location filename="../../desktop/ui/usage_limits_editor.py" line="+48"/>
        <source>Usage limits</source>
        <translation>利用上限</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the user&apos;s, app&apos;s or model&apos;s name</source>
        <translation>ユーザー・アプリ・モデルの名前</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>0 refuses every question</source>
        <translation>0 にするとすべての質問を断ります</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For</source>
        <translation>対象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limit</source>
        <translation>上限の種類</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allowed</source>
        <translation>上限値</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Set</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear this limit</source>
        <translation>この上限を解除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Tokens per day</source>
        <translation>1 日あたりのトークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per month</source>
        <translation>1 か月あたりのトークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requests per minute</source>
        <translation>1 分あたりのリクエスト数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answers at once</source>
        <translation>同時に生成する回答数</translation>
    </message>
</context>
<context>
    <name>LoadSettingsEditor</name>
    <message>
        <location filename="../../desktop/ui/settings/model_settings.py" line="+18"/>
        <source>How many layers run on the GPU. Auto uses all when this build can offload.</source>
        <translation>GPU で実行するレイヤー数です。「自動」では、このビルドがオフロードに対応していればすべてのレイヤーを使用します。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> tokens</source>
        <translation> トークン</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>GPU layers</source>
        <translation>GPU レイヤー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads</source>
        <translation>CPU スレッド</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context length</source>
        <translation>コンテキスト長</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The model was trained with a context of {tokens} tokens.</source>
        <translation>このモデルは {tokens} トークンのコンテキストで学習されています。</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../desktop/ui/login.py" line="+102"/>
        <source>6-digit code or a backup code</source>
        <translation>6 桁のコードまたはバックアップコード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Authenticator code</source>
        <translation>認証アプリのコード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Kura is locked</source>
        <translation>Kura はロックされています</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The window locked itself after a while without activity. Sign in to go on.</source>
        <translation>一定時間操作がなかったため、ウィンドウがロックされました。続けるにはサインインしてください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You locked the window. Sign in to go on.</source>
        <translation>ウィンドウをロックしました。続けるにはサインインしてください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in to Kura</source>
        <translation>Kura にサインイン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your workspace is encrypted on this computer.</source>
        <translation>ワークスペースはこのコンピューター上で暗号化されています。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Enter your user name and password.</source>
        <translation>ユーザー名とパスワードを入力してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>確認しています…</translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <location filename="../../desktop/ui/logs/view.py" line="+80"/>
        <source>Only the Owner and Admins can review the logs. Ask one of them for access.</source>
        <translation>ログを確認できるのはオーナーと管理者のみです。アクセスが必要な場合は、オーナーまたは管理者に依頼してください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+17"/>
        <source>Logs</source>
        <translation>ログ</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export signed bundle…</source>
        <translation>署名付きバンドルをエクスポート…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disclose a value…</source>
        <translation>値を開示…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give an auditor the opening of one value of a pseudonymised bundle (Owner)</source>
        <translation>仮名化したバンドルの値 1 つについて、そのオープニングを監査人に渡します（オーナー）</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+110"/>
        <source>All users</source>
        <translation>すべてのユーザー</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Any rating</source>
        <translation>すべての評価</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Helpful</source>
        <translation>役に立った</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not helpful</source>
        <translation>役に立たなかった</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search questions and answers</source>
        <translation>質問と回答を検索</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>No chat turns match these filters — widen or clear them.</source>
        <translation>条件に一致するやり取りはありません — 条件を広げるか解除してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No chat turns yet — conversations in your apps will show up here.</source>
        <translation>やり取りはまだありません — アプリでの会話がここに表示されます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Showing the newest {n} turns; narrow the filters to see older ones.</source>
        <translation>最新の {n} 件を表示しています。それより前のものを見るには条件を絞り込んでください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} turns</source>
        <translation>{n} 件</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="+65"/>
        <source>Chat</source>
        <translation>チャット</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Studio</source>
        <translation>スタジオ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Knowledge</source>
        <translation>ナレッジ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logs</source>
        <translation>ログ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Usage</source>
        <translation>利用状況</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+109"/>
        <location line="+135"/>
        <source>Kura</source>
        <translation>Kura</translation>
    </message>
</context>
<context>
    <name>MarkdownBrowser</name>
    <message>
        <location filename="../../desktop/ui/chat/markdown.py" line="+33"/>
        <source>[image: {alt}]</source>
        <translation>[画像: {alt}]</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>[image]</source>
        <translation>[画像]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/code_blocks.py" line="+44"/>
        <source>Copy code</source>
        <translation>コードをコピー</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="-190"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>MemberListModel</name>
    <message>
        <location filename="../../desktop/ui/members_model.py" line="+83"/>
        <source>User name</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>ロール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-time codes</source>
        <translation>ワンタイムコード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign-in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Active</source>
        <translation>有効</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>無効</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On</source>
        <translation>オン</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Locked until {until}</source>
        <translation>{until} までロック中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} failed attempts</source>
        <translation>{n} 回失敗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>MemberPicker</name>
    <message>
        <location filename="../../desktop/ui/knowledge/widgets.py" line="+125"/>
        <source>Usernames, separated by commas</source>
        <translation>ユーザー名（カンマ区切り）</translation>
    </message>
</context>
<context>
    <name>MembersView</name>
    <message>
        <location filename="../../desktop/ui/members.py" line="+77"/>
        <source>Only the Owner and Admins can manage members.</source>
        <translation>メンバーを管理できるのはオーナーと管理者のみです。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+7"/>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Add member</source>
        <translation>メンバーを追加</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Change role…</source>
        <translation>ロールを変更…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+124"/>
        <source>Disable</source>
        <translation>無効にする</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>Reset password…</source>
        <translation>パスワードをリセット…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset one-time codes…</source>
        <translation>ワンタイムコードをリセット…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock sign-in</source>
        <translation>サインインのロックを解除</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Transfer ownership…</source>
        <translation>オーナー権限を譲渡…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Role changes waiting for the Owner&apos;s approval</source>
        <translation>オーナーの承認待ちのロール変更</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../desktop/ui/members_dialogs.py" line="-25"/>
        <source>Member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>変更内容</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Asked by</source>
        <translation>申請者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Asked at</source>
        <translation>依頼日時</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reject</source>
        <translation>却下</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approve</source>
        <translation>承認</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Enable</source>
        <translation>有効にする</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Remove {name}&apos;s one-time codes and recovery codes? They sign in with the password alone until they enroll again (for a lost phone).</source>
        <translation>{name} のワンタイムコードとリカバリーコードを削除しますか？再登録するまで、パスワードだけでサインインすることになります（スマートフォンを紛失した場合など）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One-time codes of {name} removed.</source>
        <translation>{name} のワンタイムコードを削除しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset one-time codes</source>
        <translation>ワンタイムコードをリセット</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Make {name} the Owner? You become an Admin, and only {name} can hand ownership on again. Type the user name to confirm.</source>
        <translation>{name} をオーナーにしますか？あなたは管理者になり、以後オーナー権限を譲渡できるのは {name} だけになります。確認のためユーザー名を入力してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} is now the Owner; you are an Admin.</source>
        <translation>{name} がオーナーになりました。あなたは管理者になりました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transfer ownership</source>
        <translation>オーナー権限を譲渡</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transfer</source>
        <translation>譲渡</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{name} is enabled.</source>
        <translation>{name} を有効にしました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is disabled.</source>
        <translation>{name} を無効にしました。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign-in for {name} unlocked.</source>
        <translation>{name} のサインインのロックを解除しました。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Role change of {name} approved.</source>
        <translation>{name} のロール変更を承認しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Role change of {name} rejected.</source>
        <translation>{name} のロール変更を却下しました。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="-3"/>
        <source>Owner</source>
        <translation>オーナー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>管理者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Editor</source>
        <translation>編集者</translation>
    </message>
</context>
<context>
    <name>MessageEdit</name>
    <message>
        <location filename="../../desktop/ui/chat/editing.py" line="+39"/>
        <source>Editing message {n}: sending replaces it and everything after it. Cancel edit (or Esc) keeps the conversation as it is.</source>
        <translation>メッセージ {n} を編集しています。送信すると、このメッセージとそれ以降のすべてが置き換えられます。「編集をキャンセル」（または Esc）で会話はそのまま残ります。</translation>
    </message>
</context>
<context>
    <name>ModelStep</name>
    <message>
        <location filename="../../desktop/ui/first_run/model_step.py" line="+45"/>
        <source>Add a model</source>
        <translation>モデルを追加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chat apps answer with a local GGUF model. Register one now, or later in Settings. Kura checks the file&apos;s SHA-256 so a changed file is noticed. Kura then makes a ready “General chat” app with it.</source>
        <translation>チャットアプリはローカルの GGUF モデルで回答します。今すぐ登録するか、後で「設定」で登録してください。Kura はファイルの SHA-256 を確認するので、ファイルが変更されると気づきます。登録したモデルで、すぐに使える「一般チャット」アプリを作成します。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use the bundled demo model</source>
        <translation>同梱のデモモデルを使用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a GGUF file…</source>
        <translation>GGUF ファイルを選択…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Skip for now</source>
        <translation>後で設定</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Choose a GGUF model</source>
        <translation>GGUF モデルを選択</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF モデル (*.gguf)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Unpacking the demo model…</source>
        <translation>デモモデルを展開しています…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Checking {file}…</source>
        <translation>{file} を確認しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>General chat</source>
        <translation>一般チャット</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are a helpful assistant. Answer clearly and briefly, in the language of the question.</source>
        <translation>あなたは親切なアシスタントです。質問と同じ言語で、わかりやすく簡潔に答えてください。</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <location filename="../../desktop/ui/settings/models.py" line="+53"/>
        <source>Register local GGUF files for apps to use. Files stay where they are; Kura checks each file&apos;s SHA-256 before loading it.</source>
        <translation>アプリで使用するローカルの GGUF ファイルを登録します。ファイルは元の場所に置いたままで、Kura は読み込む前に各ファイルの SHA-256 を確認します。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No models yet — add a GGUF file to get started.</source>
        <translation>モデルはまだありません — GGUF ファイルを追加して始めましょう。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add model…</source>
        <translation>モデルを追加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add remote server…</source>
        <translation>リモートサーバーを追加…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>GPU offload: checking…</source>
        <translation>GPU オフロード：確認しています…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove this model from Kura (no app may use it)</source>
        <translation>このモデルを Kura から削除します（使っているアプリがないときだけ）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Path</source>
        <translation>パス</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the full SHA-256</source>
        <translation>SHA-256 全体をコピー</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Load settings</source>
        <translation>読み込み設定</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save load settings</source>
        <translation>読み込み設定を保存</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Architecture</source>
        <translation>アーキテクチャ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantization</source>
        <translation>量子化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trained context</source>
        <translation>学習時のコンテキスト長</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>GPU offload: available</source>
        <translation>GPU オフロード：利用可能</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GPU offload: not available in this build — models run on the CPU</source>
        <translation>GPU オフロード：このビルドでは利用できません — モデルは CPU で実行されます</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>SHA-256 copied.</source>
        <translation>SHA-256 をコピーしました。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Saved. {name} loads with these settings next time.</source>
        <translation>保存しました。次回から {name} はこの設定で読み込まれます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Remove {name}? Its API key is deleted from the OS keyring and Kura no longer connects to {url}.</source>
        <translation>{name} を削除しますか？ API キーは OS のキーリングから削除され、Kura は {url} に接続しなくなります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove {name}? The file itself stays where it is.</source>
        <translation>{name} を削除しますか？ ファイル自体はそのまま残ります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove model</source>
        <translation>モデルの削除</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Removed {name}.</source>
        <translation>{name} を削除しました。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a GGUF model</source>
        <translation>GGUF モデルを追加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF モデル (*.gguf);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Added {name}.</source>
        <translation>{name} を追加しました。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Checking and hashing the file…</source>
        <translation>ファイルを確認し、ハッシュを計算しています…</translation>
    </message>
</context>
<context>
    <name>OwnerPasswordDialog</name>
    <message>
        <location filename="../../desktop/ui/settings/strict.py" line="+184"/>
        <source>Turn on strict unlock</source>
        <translation>厳格ロック解除をオンにする</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type your own password. Your key slot is made from it: from now on it opens the workspace, and the system keyring no longer does.</source>
        <translation>ご自身のパスワードを入力してください。このパスワードからあなたのキースロットが作られます。今後はこのパスワードでワークスペースを開き、システムのキーリングでは開かなくなります。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Your password</source>
        <translation>あなたのパスワード</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Turn on</source>
        <translation>オンにする</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <location filename="../../desktop/ui/password_field.py" line="+37"/>
        <source>The same again</source>
        <translation>確認のためもう一度入力</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Password strength</source>
        <translation>パスワードの強度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show password</source>
        <translation>パスワードを表示</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>At least {minimum} characters</source>
        <translation>{minimum} 文字以上</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>At least {minimum} characters (at most {maximum}); any characters count, spaces too. A few unrelated words make a strong password. Common passwords and ones built from the user name are refused.</source>
        <translation>{minimum} 文字以上（{maximum} 文字まで）。スペースを含め、どの文字も使えます。関係のない単語をいくつか並べると強いパスワードになります。よく使われるパスワードや、ユーザー名をもとにしたパスワードは使えません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirm</source>
        <translation>確認</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Type the new password.</source>
        <translation>新しいパスワードを入力してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The two passwords differ: type the same one twice.</source>
        <translation>2 つのパスワードが一致しません。同じパスワードを 2 回入力してください。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Strong enough — but the two passwords differ.</source>
        <translation>強度は十分です — ただし 2 つのパスワードが一致しません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ Strong enough.</source>
        <translation>✓ 強度は十分です。</translation>
    </message>
</context>
<context>
    <name>PersonalDataPage</name>
    <message>
        <location filename="../../desktop/ui/settings/personal_data.py" line="+65"/>
        <source>Personal data</source>
        <translation>個人情報</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Default for apps</source>
        <translation>アプリの既定</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Apps whose Studio setting is “Workspace default” follow these. Minimise logs: logs, traces and feedback keep placeholders instead of personal data. Pseudonymise before the model: the model sees placeholders and the answer shows the values again.</source>
        <translation>スタジオで「ワークスペースの既定」を選んだアプリはこの設定に従います。ログを最小化：ログ・トレース・フィードバックには個人情報の代わりにプレースホルダーを残します。モデルの前に仮名化：モデルにはプレースホルダーを渡し、回答では元の値に戻して表示します。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Minimise logs</source>
        <translation>ログを最小化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pseudonymise before the model</source>
        <translation>モデルの前に仮名化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save defaults</source>
        <translation>既定を保存</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only the Owner can change these.</source>
        <translation>変更できるのはオーナーだけです。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workspace terms</source>
        <translation>ワークスペースの用語</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Names, project code names, customer ids… that count as personal data here. One a line; write re: before a regular expression (re:CUST-\d{6}). Letter case does not matter.</source>
        <translation>このワークスペースで個人情報として扱う名前、プロジェクトのコード名、顧客 ID など。1 行に 1 つ書きます。正規表現は先頭に印を付けて re:CUST-\d{6} のように書きます。大文字と小文字は区別しません。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save terms</source>
        <translation>用語を保存</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Defaults saved.</source>
        <translation>既定を保存しました。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{n} terms saved.</source>
        <translation>{n} 件の用語を保存しました。</translation>
    </message>
</context>
<context>
    <name>PiiWords</name>
    <message>
        <location filename="../../desktop/ui/pii_words.py" line="+19"/>
        <source>name</source>
        <translation>人名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>names</source>
        <translation>人名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phone number</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>phone numbers</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>email address</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>email addresses</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My Number</source>
        <translation>マイナンバー</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My Numbers</source>
        <translation>マイナンバー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>corporate number</source>
        <translation>法人番号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>corporate numbers</source>
        <translation>法人番号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>card number</source>
        <translation>カード番号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>card numbers</source>
        <translation>カード番号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>postal code</source>
        <translation>郵便番号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>postal codes</source>
        <translation>郵便番号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address</source>
        <translation>住所</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>addresses</source>
        <translation>住所</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>IP address</source>
        <translation>IP アドレス</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>IP addresses</source>
        <translation>IP アドレス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>workspace term</source>
        <translation>ワークスペースの用語</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>workspace terms</source>
        <translation>ワークスペースの用語</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{n} {noun}</source>
        <translation>{noun} {n}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Masked: nothing</source>
        <translation>マスク：なし</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Masked: {parts}</source>
        <translation>マスク：{parts}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on</source>
        <translation>オン</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>オフ</translation>
    </message>
</context>
<context>
    <name>PoliciesPanel</name>
    <message>
        <location filename="../../desktop/ui/settings/security.py" line="+17"/>
        <source>Policies</source>
        <translation>ポリシー</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Owner and Admins must sign in with a one-time code</source>
        <translation>オーナーと管理者のサインインにワンタイムコードを必須にする</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A role raised by an Admin waits for the Owner&apos;s approval</source>
        <translation>管理者によるロールの引き上げにオーナーの承認を必須にする</translation>
    </message>
</context>
<context>
    <name>PreviewChat</name>
    <message>
        <location filename="../../desktop/ui/studio/preview.py" line="+71"/>
        <source>The preview conversation appears here.</source>
        <translation>プレビューの会話がここに表示されます。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Preview</source>
        <translation>プレビュー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restart</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a new preview conversation</source>
        <translation>新しいプレビューの会話を開始</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ask the app something…</source>
        <translation>アプリに質問…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Value for {name}</source>
        <translation>{name} の値</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Save the app to preview it here.</source>
        <translation>アプリを保存すると、ここでプレビューできます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save to preview: the preview uses the saved app.</source>
        <translation>プレビューするには保存してください。プレビューでは保存済みのアプリを使用します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Previewing version {version}.</source>
        <translation>バージョン {version} をプレビューしています。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>You</source>
        <translation>あなた</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Fill in: {names}</source>
        <translation>入力してください：{names}</translation>
    </message>
</context>
<context>
    <name>PrivacyPolicies</name>
    <message>
        <location filename="../../desktop/ui/studio/privacy.py" line="+25"/>
        <source>Personal data</source>
        <translation>個人情報</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Logs, traces and feedback keep placeholders instead of personal data; the user&apos;s own conversation still shows what they typed.</source>
        <translation>ログ・トレース・フィードバックには個人情報の代わりにプレースホルダーを残します。利用者自身の会話には入力したとおりに表示されます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Personal data in the message, the history and the retrieved passages reaches the model as placeholders; the answer shows the values again.</source>
        <translation>メッセージ・履歴・検索した抜粋に含まれる個人情報は、プレースホルダーに置き換えてモデルに渡します。回答では元の値に戻して表示します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Minimise logs</source>
        <translation>ログを最小化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pseudonymise before the model</source>
        <translation>モデルの前に仮名化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The workspace default is set by the Owner in Settings › Personal data.</source>
        <translation>ワークスペースの既定は、オーナーが「設定 › 個人情報」で設定します。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>on</source>
        <translation>オン</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workspace default ({state})</source>
        <translation>ワークスペースの既定（{state}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On</source>
        <translation>オン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
</context>
<context>
    <name>ProveDialog</name>
    <message>
        <location filename="../../desktop/ui/logs/prove_dialog.py" line="+57"/>
        <source>Disclose a value of a pseudonymised bundle</source>
        <translation>仮名化したバンドルの値を開示</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>An auditor who was given one original value (a name, a phone number…) can check it against a pseudonymised bundle with the opening shown here. Only that value is disclosed; the disclosure is recorded in the audit log.</source>
        <translation>元の値（氏名、電話番号など）を 1 つ渡された監査人は、ここに表示されるオープニングで、その値を仮名化したバンドルと照合できます。開示されるのはその値だけで、開示したことは監査ログに記録されます。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The .zip exported with Pseudonymise ticked</source>
        <translation>「個人情報を仮名化する」をオンにしてエクスポートした .zip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bundle</source>
        <translation>バンドル</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The original value, as it was written</source>
        <translation>元の値（書かれていたとおりに）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Disclose</source>
        <translation>開示</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The pseudonymised bundle</source>
        <translation>仮名化したバンドル</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No bundle file at “{path}”: choose the .zip the workspace exported.</source>
        <translation>「{path}」にバンドルのファイルがありません。ワークスペースがエクスポートした .zip を選んでください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type the value the auditor was given first.</source>
        <translation>先に、監査人に渡された値を入力してください。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>This {type} is {placeholder} in {events} event(s) of the bundle. Opening: {opening}</source>
        <translation>この{type}はバンドルの {events} 件のイベントで {placeholder} です。オープニング: {opening}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The auditor checks it with:</source>
        <translation>監査人は次のコマンドで確認します:</translation>
    </message>
</context>
<context>
    <name>QuestionsEditor</name>
    <message>
        <location filename="../../desktop/ui/studio/questions.py" line="+32"/>
        <source>A question users can click to start</source>
        <translation>ユーザーがクリックして会話を始められる質問</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>QuickChat</name>
    <message>
        <location filename="../../desktop/ui/chat/dialogs.py" line="+15"/>
        <source>New quick chat</source>
        <translation>新しいクイックチャット</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat with model:</source>
        <translation>チャットするモデル:</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <location filename="../../desktop/ui/recovery.py" line="+74"/>
        <source>Your recovery key</source>
        <extracomment>Tells clipboard managers (Klipper, and others that honour it) not to keep the text.</extracomment>
        <translation>リカバリーキー</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>I have stored the recovery key somewhere safe</source>
        <translation>リカバリーキーを安全な場所に保管しました</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Continue</source>
        <translation>続行</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This key opens the workspace if the key in your system keyring is ever lost. Kura shows it only now and cannot show it again. Keep it offline, for example printed and stored in a safe place.</source>
        <translation>このキーは、システムのキーリングにあるキーが失われた場合にワークスペースを開くためのものです。表示されるのは今回だけで、再表示はできません。印刷して安全な場所に保管するなど、オフラインで保管してください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>名前を付けて保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print…</source>
        <translation>印刷…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Copied. The clipboard is cleared in {seconds} seconds.</source>
        <translation>コピーしました。クリップボードは {seconds} 秒後に消去されます。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save the recovery key</source>
        <translation>リカバリーキーを保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text files (*.txt)</source>
        <translation>テキストファイル (*.txt)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not save to {path}: {reason}. Choose another place.</source>
        <translation>{path} に保存できませんでした：{reason}。別の場所を選択してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved to {path}.</source>
        <translation>{path} に保存しました。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Kura workspace recovery key</source>
        <translation>Kura ワークスペースのリカバリーキー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It opens the workspace when the system keyring item is lost. Anyone holding it and the workspace folder can read the workspace.</source>
        <translation>システムのキーリングの項目が失われたときに、ワークスペースを開くためのキーです。このキーとワークスペースのフォルダーを持つ人は誰でも、ワークスペースを読み取れます。</translation>
    </message>
</context>
<context>
    <name>RedactionChoices</name>
    <message>
        <location filename="../../desktop/ui/knowledge/redaction_box.py" line="+22"/>
        <source>Redact personal data at ingestion</source>
        <translation>取り込み時に個人情報をマスクする</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the original file</source>
        <translation>元のファイルを保存する</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Without it only the masked text is stored: the document cannot be downloaded in its original form.</source>
        <translation>オフの場合はマスク後のテキストだけを保存するため、元の形のドキュメントはダウンロードできません。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Names, phone numbers, My Numbers and other personal data are replaced by placeholders before the text is chunked, embedded and indexed. It applies to documents and new versions added from now on: documents already here keep their text as it is (add them again to mask them).</source>
        <translation>人名、電話番号、マイナンバーなどの個人情報を、チャンク分割・埋め込み・索引付けの前にプレースホルダーに置き換えます。対象はこれから追加するドキュメントと新しいバージョンです。追加済みのドキュメントはそのままなので、マスクするにはもう一度追加してください。</translation>
    </message>
</context>
<context>
    <name>RemoteModelDialog</name>
    <message>
        <location filename="../../desktop/ui/settings/remote_dialog.py" line="+52"/>
        <source>Add a remote server</source>
        <translation>リモートサーバーの追加</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An OpenAI-compatible server on your organisation&apos;s network (llama-server, vLLM, Ollama). Kura connects only to the address it resolves now. Plain http is allowed only on this computer; https needs the CA file or the certificate&apos;s SHA-256.</source>
        <translation>組織内ネットワークの OpenAI 互換サーバー（llama-server、vLLM、Ollama）です。Kura はいま解決したアドレスにだけ接続します。暗号化しない http はこのコンピューター上のサーバーにのみ使えます。https には CA ファイルか証明書の SHA-256 が必要です。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Chat</source>
        <translation>チャット</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding</source>
        <translation>埋め込み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA certificate (PEM)</source>
        <translation>CA 証明書（PEM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>or the certificate&apos;s SHA-256</source>
        <translation>または証明書の SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optional</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server address</source>
        <translation>サーバーのアドレス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model id</source>
        <translation>モデル ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA file</source>
        <translation>CA ファイル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate pin</source>
        <translation>証明書のピン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context size</source>
        <translation>コンテキスト長</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test the connection before adding it</source>
        <translation>追加する前に接続をテストする</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Untick to add a server that is down now; its first answer will tell.</source>
        <translation>いま停止しているサーバーを追加するときはチェックを外します。最初の応答で動作が分かります。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The server&apos;s CA certificate</source>
        <translation>サーバーの CA 証明書</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM (*.pem *.crt);;All files (*)</source>
        <translation>PEM (*.pem *.crt);;すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../desktop/ui/members_dialogs.py" line="+163"/>
        <source>New password for {name}</source>
        <translation>{name} の新しいパスワード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set password</source>
        <translation>パスワードを設定</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Password of {name} reset.</source>
        <translation>{name} のパスワードをリセットしました。</translation>
    </message>
</context>
<context>
    <name>RetentionPage</name>
    <message>
        <location filename="../../desktop/ui/settings/retention.py" line="+59"/>
        <source>Conversations and their log entries older than an app&apos;s retention are deleted when you purge; the audit chain keeps a tombstone for each. A legal hold keeps everything of that app until it is lifted.</source>
        <translation>アプリの保持期間を過ぎた会話とそのログエントリは、消去を実行したときに削除されます。監査チェーンにはそれぞれの削除記録が残ります。リーガルホールド中のアプリは、解除されるまですべてのデータが保持されます。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retention</source>
        <translation>データ保持</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per app</source>
        <translation>アプリごと</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keep for</source>
        <translation>保持期間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Legal hold</source>
        <translation>リーガルホールド</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No apps yet — retention is set per app once an app exists.</source>
        <translation>アプリはまだありません — 保持期間は、アプリの作成後にアプリごとに設定します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save retention</source>
        <translation>保持期間を保存</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Purge</source>
        <translation>消去</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kura does not purge on its own: purge after changing retention.</source>
        <translation>Kura は自動では消去しません。保持期間を変更したら消去を実行してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Purge expired now…</source>
        <translation>期限切れのデータを今すぐ消去…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Forever</source>
        <translation>無期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Nothing changed.</source>
        <translation>変更はありません。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Retention saved. Purge to apply it now.</source>
        <translation>保持期間を保存しました。今すぐ適用するには消去を実行してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Purge expired conversations?</source>
        <translation>期限切れの会話を消去しますか？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversations and log entries older than each app&apos;s retention are deleted for good (apps under a legal hold are skipped). This cannot be undone.</source>
        <translation>各アプリの保持期間を過ぎた会話とログエントリを完全に削除します（リーガルホールド中のアプリは対象外です）。この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Nothing had expired.</source>
        <translation>期限切れのデータはありませんでした。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Purged {turns} turns, {conversations} conversations and {events} log entries from {apps}.</source>
        <translation>{apps} から、やり取り {turns} 件、会話 {conversations} 件、ログエントリ {events} 件を消去しました。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Emptied {searches} knowledge-base searches.</source>
        <translation>ナレッジベースの検索 {searches} 件を消去しました。</translation>
    </message>
</context>
<context>
    <name>SearchTesterPanel</name>
    <message>
        <location filename="../../desktop/ui/knowledge/search_tester.py" line="+101"/>
        <source>Ask something the documents should answer</source>
        <translation>ドキュメントで答えられるはずの質問を入力</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Default mode</source>
        <translation>既定のモード</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hybrid</source>
        <translation>ハイブリッド</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full text</source>
        <translation>全文検索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vector</source>
        <translation>ベクトル</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>top </source>
        <translation>上位 </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show scores</source>
        <translation>スコアを表示</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Found by</source>
        <translation>見つかった理由</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score</source>
        <translation>スコア</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scores</source>
        <translation>方式別スコア</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>The embedding model does not read the language of most of these documents, so similar-meaning search misses them: choose a multilingual embedding model in this knowledge base&apos;s settings. Matched-words search still works.</source>
        <translation>埋め込みモデルがこれらのドキュメントの大半の言語に対応していないため、意味の近さによる検索では見つかりません。このナレッジベースの設定で多言語対応の埋め込みモデルを選んでください。語句の一致による検索は引き続き使えます。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Found by: matched words (the query&apos;s words are in the passage), similar meaning (the embedding model finds it close), or both. Show scores for the numbers.</source>
        <translation>見つかった理由：語句が一致（検索語が抜粋に含まれる）、意味が近い（埋め込みモデルが近いと判断）、またはその両方です。数値は「スコアを表示」で確認できます。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Passage</source>
        <translation>抜粋</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Matched words</source>
        <translation>語句が一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similar meaning</source>
        <translation>意味が近い</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>両方</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Type a query to search for.</source>
        <translation>検索するクエリを入力してください。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{name} v{version} #{chunk}</source>
        <translation>{name} v{version} #{chunk}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No passages matched this query.</source>
        <translation>このクエリに一致する抜粋はありませんでした。</translation>
    </message>
</context>
<context>
    <name>SecurityPage</name>
    <message>
        <location filename="../../desktop/ui/settings/security.py" line="-101"/>
        <source>Security</source>
        <translation>セキュリティ</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../../desktop/ui/settings/view.py" line="+60"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
</context>
<context>
    <name>ShellView</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="-225"/>
        <source>Kura 蔵</source>
        <translation>Kura 蔵</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Chat (Ctrl+N starts a new chat)</source>
        <translation>チャット（Ctrl+N で新しいチャット）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings (Ctrl+,)</source>
        <translation>設定（Ctrl+,）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lock</source>
        <translation>ロック</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock now (Ctrl+L)</source>
        <translation>今すぐロック（Ctrl+L）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out</source>
        <translation>サインアウト</translation>
    </message>
</context>
<context>
    <name>SigningKeyPanel</name>
    <message>
        <location filename="../../desktop/ui/settings/keys.py" line="+13"/>
        <source>Exported log bundles are signed with this key. Auditors verify them with the allowed_signers text (ssh-keygen -Y verify or the bundled verifier).</source>
        <translation>エクスポートしたログバンドルはこのキーで署名されます。監査担当者は allowed_signers のテキストを使って検証します（ssh-keygen -Y verify または同梱の検証ツール）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy allowed_signers</source>
        <translation>allowed_signers をコピー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rotate signing key…</source>
        <translation>署名キーをローテーション…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Audit signing key</source>
        <translation>監査用の署名キー</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No signing key yet.</source>
        <translation>署名キーはまだありません。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copied. Give it to auditors with the bundles you export.</source>
        <translation>コピーしました。エクスポートしたバンドルと一緒に監査担当者に渡してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rotate the signing key?</source>
        <translation>署名キーをローテーションしますか？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New bundles are signed with a new key. Bundles signed before still verify with the old key, which stays in allowed_signers. Give auditors the new text.</source>
        <translation>今後のバンドルは新しいキーで署名されます。以前に署名されたバンドルは、allowed_signers に残る古いキーで引き続き検証できます。新しいテキストを監査担当者に渡してください。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New signing key in use. Copy allowed_signers for auditors.</source>
        <translation>新しい署名キーを使用しています。監査担当者用に allowed_signers をコピーしてください。</translation>
    </message>
</context>
<context>
    <name>StrictUnlockPanel</name>
    <message>
        <location filename="../../desktop/ui/settings/strict.py" line="-162"/>
        <source>In strict mode the system keyring no longer opens the workspace: each person&apos;s own password does, at sign-in. Nobody can read the workspace without a Kura password, not even a program running as you. Choose long passwords.</source>
        <extracomment>What the panel shows: whether strict mode is on, and who has no key slot. A switch&apos;s outcome: the new state, and the recovery key of the rekey that turning strict mode on makes (shown once), or None.</extracomment>
        <translation>厳格モードでは、システムのキーリングではワークスペースを開けなくなり、サインイン時に各ユーザー本人のパスワードで開きます。Kura のパスワードがなければ、あなたの権限で動くプログラムであってもワークスペースを読み取れません。長いパスワードを使ってください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Only a user&apos;s own password opens the workspace (strict unlock)</source>
        <translation>ユーザー本人のパスワードでのみワークスペースを開く（厳格ロック解除）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Strict unlock</source>
        <translation>厳格ロック解除</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>These users have no key slot yet and cannot open the workspace until an Admin resets their password: {users}</source>
        <translation>次のユーザーにはまだキースロットがなく、管理者がパスワードをリセットするまでワークスペースを開けません：{users}</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Rewriting the key slots…</source>
        <translation>キースロットを書き換えています…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Strict unlock is on: your password opens the workspace from now on.</source>
        <translation>厳格ロック解除をオンにしました。今後はあなたのパスワードでワークスペースを開きます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Strict unlock is off: the system keyring opens the workspace again.</source>
        <translation>厳格ロック解除をオフにしました。再びシステムのキーリングでワークスペースを開きます。</translation>
    </message>
</context>
<context>
    <name>StudioTemplates</name>
    <message>
        <location filename="../../desktop/ui/studio/templates.py" line="+154"/>
        <source>Import template…</source>
        <translation>テンプレートをインポート…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export template…</source>
        <translation>テンプレートをエクスポート…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign</source>
        <translation>署名する</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Also write FILE.yaml.sig, signed with this workspace&apos;s signing key</source>
        <translation>このワークスペースの署名鍵による署名ファイル（.yaml.sig）も書き出します</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Export app template</source>
        <translation>アプリテンプレートをエクスポート</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Wrote {files}.</source>
        <translation>{files} を書き出しました。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import app template</source>
        <translation>アプリテンプレートをインポート</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Imported as “{name}”.</source>
        <translation>「{name}」としてインポートしました。</translation>
    </message>
</context>
<context>
    <name>StudioView</name>
    <message>
        <location filename="../../desktop/ui/studio/view.py" line="+80"/>
        <location line="+21"/>
        <source>Studio</source>
        <translation>スタジオ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New app</source>
        <translation>新しいアプリ</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose an app on the left.</source>
        <translation>左の一覧からアプリを選択してください。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete app…</source>
        <translation>アプリを削除…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+131"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>No apps yet — create one with “New app”.</source>
        <translation>アプリはまだありません — 「新しいアプリ」で作成してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No apps are shared with you yet.</source>
        <translation>あなたと共有されているアプリはまだありません。</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Unsaved changes</source>
        <translation>未保存の変更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard the changes to this app?</source>
        <translation>このアプリへの変更を破棄しますか？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Create app</source>
        <translation>アプリを作成</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Give the app a name.</source>
        <translation>アプリの名前を入力してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pick a model for the app.</source>
        <translation>アプリのモデルを選択してください。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Created.</source>
        <translation>作成しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved as version {version}.</source>
        <translation>バージョン {version} として保存しました。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Delete app</source>
        <translation>アプリを削除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {name} with all its versions and conversations? This cannot be undone.</source>
        <translation>{name} を、すべてのバージョンと会話とともに削除しますか？この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>TemplateImportDialog</name>
    <message>
        <location filename="../../desktop/ui/studio/templates.py" line="-192"/>
        <source>Import app template</source>
        <translation>アプリテンプレートをインポート</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>App name</source>
        <translation>アプリ名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An app with this name exists: choose another name.</source>
        <translation>同じ名前のアプリがすでにあります。別の名前にしてください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The template&apos;s model “{name}” is not registered here.</source>
        <translation>テンプレートのモデル「{name}」はここに登録されていません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Knowledge base “{name}”</source>
        <translation>ナレッジベース「{name}」</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import</source>
        <translation>インポート</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Unsigned template: its origin is not proven.</source>
        <translation>署名のないテンプレートです。出どころは証明されていません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signed by this workspace ({fingerprint}).</source>
        <translation>このワークスペースが署名しています（{fingerprint}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signed by a workspace this one trusts ({principal}), key {fingerprint}.</source>
        <translation>このワークスペースが信頼するワークスペース（{principal}）の鍵 {fingerprint} で署名されています。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
</context>
<context>
    <name>TotpDialog</name>
    <message>
        <location filename="../../desktop/ui/settings/totp.py" line="+99"/>
        <source>Set up two-step sign-in</source>
        <translation>2 段階サインインの設定</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scan this code with your authenticator app.</source>
        <translation>認証アプリでこのコードをスキャンしてください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Or type this key into the app by hand:</source>
        <translation>または、このキーをアプリに手動で入力してください：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The 6-digit code the app shows</source>
        <translation>アプリに表示される 6 桁のコード</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Turn on</source>
        <translation>有効にする</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Two-step sign-in is on. If you lose your phone, each of these recovery codes signs you in once. They are shown only now: store them safely.</source>
        <translation>2 段階サインインを有効にしました。スマートフォンを紛失した場合は、これらのリカバリーコードでそれぞれ 1 回ずつサインインできます。表示されるのは今回だけです。安全に保管してください。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Copied. The clipboard is cleared in {seconds} seconds.</source>
        <translation>コピーしました。クリップボードは {seconds} 秒後に消去されます。</translation>
    </message>
</context>
<context>
    <name>TotpPanel</name>
    <message>
        <location line="-179"/>
        <location line="+35"/>
        <source>Set up…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Two-step sign-in</source>
        <translation>2 段階サインイン</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>On since {date}. {left} recovery codes left.</source>
        <translation>{date} から有効です。リカバリーコードの残り：{left} 個。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replace authenticator…</source>
        <translation>認証アプリを再設定…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off. Add an authenticator app to ask for a one-time code at sign-in.</source>
        <translation>オフです。認証アプリを追加すると、サインイン時にワンタイムコードの入力が求められます。</translation>
    </message>
</context>
<context>
    <name>TraceDialog</name>
    <message>
        <location filename="../../desktop/ui/logs/trace_dialog.py" line="+70"/>
        <source>Turn {id}</source>
        <translation>やり取り {id}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Retention removed this turn&apos;s content; only its place in the audit chain remains.</source>
        <translation>保持期間の設定により、このやり取りの内容は削除されました。監査チェーン上の記録のみ残っています。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}, version {version}</source>
        <translation>{name}、バージョン {version}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chat template</source>
        <translation>チャットテンプレート</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>パラメーター</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Variables</source>
        <translation>変数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} earlier turns left out to fit the context</source>
        <translation>コンテキストに収めるため、以前のやり取り {n} 件を省略</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context</source>
        <translation>コンテキスト</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Personal data</source>
        <translation>個人情報</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{masked} (minimise logs {minimise}, pseudonymise {pseudonymise})</source>
        <translation>{masked}（ログの最小化 {minimise}、仮名化 {pseudonymise}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the model&apos;s own</source>
        <translation>モデル自身のもの</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>built-in: plain question and answer text (base model)</source>
        <translation>組み込み: 質問と回答のプレーンテキスト (ベースモデル)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>built-in: ChatML</source>
        <translation>組み込み: ChatML</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max answer tokens</source>
        <translation>回答の最大トークン数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat penalty</source>
        <translation>繰り返しペナルティ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed used</source>
        <translation>使用したシード</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the answer was complete</source>
        <translation>回答が完了した</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the length limit</source>
        <translation>長さの上限に達した</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped by the user</source>
        <translation>ユーザーが停止した</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the model failed</source>
        <translation>モデルでエラーが発生した</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Retrieved passages</source>
        <translation>取得した抜粋</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No passages: the app has no knowledge base, or nothing matched.</source>
        <translation>抜粋はありません。アプリにナレッジベースがないか、一致するものがありませんでした。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passage</source>
        <translation>抜粋</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Characters</source>
        <translation>文字数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score</source>
        <translation>スコア</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cited</source>
        <translation>引用</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>(a knowledge base you may not read)</source>
        <translation>（閲覧権限のないナレッジベース）</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Loading the passage text…</source>
        <translation>抜粋のテキストを読み込んでいます…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>This passage is from a knowledge base you may not read.</source>
        <translation>この抜粋は、閲覧権限のないナレッジベースのものです。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The text of this passage is no longer stored (its document was removed).</source>
        <translation>この抜粋のテキストは保存されていません（ドキュメントが削除されました）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>current version</source>
        <translation>現在のバージョン</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>older version</source>
        <translation>古いバージョン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[{marker}] {document} · version {version} ({state})</source>
        <translation>[{marker}] {document} · バージョン {version}（{state}）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{prompt} prompt + {completion} answer</source>
        <translation>プロンプト {prompt} + 回答 {completion}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>first token {ttft} ms, total {total} ms, {rate} tokens/s</source>
        <translation>最初のトークンまで {ttft} ms、合計 {total} ms、{rate} トークン/秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Timing</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped because</source>
        <translation>停止理由</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Feedback</source>
        <translation>フィードバック</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user has not rated this answer.</source>
        <translation>ユーザーはこの回答を評価していません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Helpful</source>
        <translation>役に立った</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not helpful</source>
        <translation>役に立たなかった</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rating</source>
        <translation>評価</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annotations</source>
        <translation>注釈</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Write the answer the app should have given…</source>
        <translation>アプリが返すべきだった回答を入力…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save annotation</source>
        <translation>注釈を保存</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{author}, {at}:
{answer}</source>
        <translation>{author}、{at}：
{answer}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No annotations yet.</source>
        <translation>注釈はまだありません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Write the improved answer first.</source>
        <translation>先に改善した回答を入力してください。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Annotation saved.</source>
        <translation>注釈を保存しました。</translation>
    </message>
</context>
<context>
    <name>TraceListModel</name>
    <message>
        <location filename="../../desktop/ui/logs/model.py" line="+52"/>
        <source>app {id}</source>
        <translation>アプリ {id}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Time</source>
        <translation>日時</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Question</source>
        <translation>質問</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rating</source>
        <translation>評価</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotations</source>
        <translation>注釈</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>(removed by retention)</source>
        <translation>（保持期間により削除）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Helpful</source>
        <translation>役に立った</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not helpful</source>
        <translation>役に立たなかった</translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message>
        <location filename="../../desktop/ui/usage.py" line="+130"/>
        <location line="+26"/>
        <source>Usage</source>
        <translation>利用状況</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>7 days</source>
        <translation>7 日間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>30 days</source>
        <translation>30 日間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>90 days</source>
        <translation>90 日間</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Set limits…</source>
        <translation>上限を設定…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set or clear usage limits (Owner)</source>
        <translation>利用上限を設定・解除します（オーナー）</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Tokens (prompt + answer)</source>
        <translation>トークン（プロンプト + 回答）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answers</source>
        <translation>回答数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rated helpful / not helpful</source>
        <translation>評価（役に立った / 役に立たなかった）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tokens per day</source>
        <translation>1 日あたりのトークン数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>By app</source>
        <translation>アプリ別</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By user</source>
        <translation>ユーザー別</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Answers per day</source>
        <translation>1 日あたりの回答数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ratings</source>
        <translation>評価</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Only the Owner and Admins can see usage.</source>
        <translation>利用状況を確認できるのはオーナーと管理者のみです。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Cleared: {name} has no limit on {kind} now.</source>
        <translation>解除しました: {name} の「{kind}」の上限はなくなりました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set: {kind} for {name}: {value}.</source>
        <translation>設定しました: {name} の「{kind}」を {value} にしました。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No answers in the last {days} days yet — usage shows up here once people chat with your apps.</source>
        <translation>過去 {days} 日間の回答はまだありません — アプリでチャットが行われると、ここに利用状況が表示されます。</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Helpful</source>
        <translation>役に立った</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not helpful</source>
        <translation>役に立たなかった</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>No ratings yet</source>
        <translation>評価はまだありません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 rating: {up} helpful · {down} not</source>
        <translation>評価 1 件：役に立った {up} · 役に立たなかった {down}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} ratings: {up} helpful · {down} not</source>
        <translation>評価 {n} 件：役に立った {up} · 役に立たなかった {down}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{up}% helpful · {down}% not ({n} ratings)</source>
        <translation>役に立った {up}% · 役に立たなかった {down}%（評価 {n} 件）</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>others</source>
        <translation>その他</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Not rated</source>
        <translation>未評価</translation>
    </message>
</context>
<context>
    <name>UserBubble</name>
    <message>
        <location filename="../../desktop/ui/chat/messages.py" line="-237"/>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit this message and send it again in its place</source>
        <translation>このメッセージを編集して、元の位置で送信し直す</translation>
    </message>
</context>
<context>
    <name>VariableForm</name>
    <message>
        <location filename="../../desktop/ui/chat/variables.py" line="+54"/>
        <source>Value for {name} (required)</source>
        <translation>{name} の値（必須）</translation>
    </message>
</context>
<context>
    <name>VariableLabelsEditor</name>
    <message>
        <location filename="../../desktop/ui/studio/variables.py" line="+37"/>
        <source>Variable</source>
        <translation>変数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Label in chat</source>
        <translation>チャットでの表示名</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Blank: the chat shows “{words}”</source>
        <translation>空欄のとき、チャットには「{words}」と表示されます</translation>
    </message>
</context>
<context>
    <name>VersionsDialog</name>
    <message>
        <location filename="../../desktop/ui/knowledge/documents.py" line="+98"/>
        <source>Versions of {name}</source>
        <translation>{name} のバージョン</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunks</source>
        <translation>チャンク</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added by</source>
        <translation>追加したユーザー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation>追加日時</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Make this version active</source>
        <translation>このバージョンを有効にする</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete document…</source>
        <translation>ドキュメントを削除…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Active</source>
        <translation>有効</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Roll back</source>
        <translation>ロールバック</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make version {version} of {name} the one search and chat use? The newer versions are kept and can be made active again.</source>
        <translation>{name} のバージョン {version} を、検索とチャットで使用するバージョンにしますか？新しいバージョンは残るため、後で再び有効にできます。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make active</source>
        <translation>有効にする</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Version {version} is active.</source>
        <translation>バージョン {version} を有効にしました。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Delete document</source>
        <translation>ドキュメントを削除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {name} and all its versions from this knowledge base? This cannot be undone.</source>
        <translation>{name} とそのすべてのバージョンをこのナレッジベースから削除しますか？この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>_PackageDialog</name>
    <message>
        <location filename="../../desktop/ui/knowledge/packages.py" line="-237"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
</context>
</TS>
