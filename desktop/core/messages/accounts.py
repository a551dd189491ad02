"""Messages of accounts, roles, sign-in and the password policy (``accounts.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    # ---- roles and the permission table (rendered inside other messages as Terms)
    "accounts.role.owner": Entry(Text(en="Owner", ja="オーナー")),
    "accounts.role.admin": Entry(Text(en="Admin", ja="管理者")),
    "accounts.role.editor": Entry(Text(en="Editor", ja="編集者")),
    "accounts.role.member": Entry(Text(en="Member", ja="メンバー")),
    "accounts.verb.use_apps": Entry(Text(en="use apps", ja="アプリを使う")),
    "accounts.verb.manage_apps": Entry(
        Text(en="create, edit or delete apps", ja="アプリを作成・編集・削除する")
    ),
    "accounts.verb.manage_knowledge": Entry(
        Text(en="manage knowledge bases", ja="ナレッジベースを管理する")
    ),
    "accounts.verb.view_logs": Entry(Text(en="view or export logs", ja="ログを表示・書き出す")),
    "accounts.verb.manage_members": Entry(Text(en="manage members", ja="メンバーを管理する")),
    "accounts.verb.manage_models": Entry(
        Text(
            en="register models or change model settings",
            ja="モデルを登録したりモデルの設定を変えたりする",
        )
    ),
    "accounts.verb.manage_security": Entry(
        Text(en="change security settings", ja="セキュリティ設定を変える")
    ),
    "accounts.verb.manage_backups": Entry(
        Text(en="back up the workspace", ja="ワークスペースをバックアップする")
    ),
    "accounts.verb.transfer_ownership": Entry(
        Text(en="transfer ownership", ja="オーナー権限を譲る")
    ),
    "accounts.verb.manage_limits": Entry(
        Text(en="set or clear usage limits", ja="利用上限を設定・解除する")
    ),
    "accounts.permission_denied": Entry(
        Text(
            en="permission denied: the {role} role may not {verb}; ask the workspace Owner "
            "or an Admin",
            ja="権限がありません: {role}の役割では{verb}ことはできません。"
            "ワークスペースのオーナーか管理者に依頼してください",
        )
    ),
    "accounts.totp_required": Entry(
        Text(
            en="this workspace requires a one-time code for Owners and Admins: {remedy}, "
            "then try again",
            ja="このワークスペースではオーナーと管理者にワンタイムコードが必要です。"
            "{remedy}、もう一度お試しください",
        ),
        cli=Text(
            en="enroll one with `kura users totp enroll`",
            ja="`kura users totp enroll` で登録してから",
        ),
        gui=Text(
            en="enroll one in Settings > Security",
            ja="設定 > セキュリティ で登録してから",
        ),
    ),
    "accounts.account_gone": Entry(
        Text(
            en="your account is disabled or gone: sign in again",
            ja="アカウントが無効になったか削除されました。もう一度サインインしてください",
        )
    ),
    # ---- signing in
    "accounts.sign_in_failed": Entry(
        Text(
            en="sign-in failed: wrong user name, password or code (or the account is disabled)",
            ja="サインインできません: ユーザー名、パスワードまたはコードが違います"
            "（またはアカウントが無効です）",
        )
    ),
    "accounts.second_factor_required": Entry(
        Text(
            en="this account also needs a one-time code: give the code from the "
            "authenticator app (or a recovery code)",
            ja="このアカウントにはワンタイムコードも必要です。認証アプリのコード"
            "（または回復コード）を入力してください",
        )
    ),
    "accounts.locked_out": Entry(
        Text(
            en="sign-in failed {failures} times in a row: locked until {until}; try "
            "again then, or ask an Admin",
            ja="サインインに {failures} 回続けて失敗したため、{until} までロック"
            "されています。その後にもう一度試すか、管理者に依頼してください",
        )
    ),
    # ---- members
    "accounts.user_not_found": Entry(
        Text(
            en="user {name!r} not found: {remedy}",
            ja="ユーザー「{name}」が見つかりません。{remedy}",
        ),
        cli=Text(
            en="`kura users list` shows the names",
            ja="名前の一覧は `kura users list` で確認できます",
        ),
        gui=Text(
            en="the Members list shows the names",
            ja="名前の一覧は「メンバー」画面で確認できます",
        ),
    ),
    "accounts.user_id_not_found": Entry(
        Text(
            en="user #{user_id} not found: {remedy}",
            ja="ユーザー #{user_id} が見つかりません。{remedy}",
        ),
        cli=Text(
            en="`kura users list` shows the users",
            ja="ユーザーの一覧は `kura users list` で確認できます",
        ),
        gui=Text(
            en="the Members list shows the users",
            ja="ユーザーの一覧は「メンバー」画面で確認できます",
        ),
    ),
    "accounts.user_exists": Entry(
        Text(
            en="user {name!r} already exists (user names ignore case): choose another name",
            ja="ユーザー「{name}」はすでにあります（ユーザー名は大文字と小文字を区別しません）。"
            "別の名前にしてください",
        )
    ),
    "accounts.owner_exists": Entry(
        Text(
            en="this workspace already has an Owner",
            ja="このワークスペースにはすでにオーナーがいます",
        )
    ),
    "accounts.add_owner": Entry(
        Text(
            en="a workspace has exactly one Owner: add the user, then transfer",
            ja="ワークスペースのオーナーは 1 人だけです。ユーザーを追加してから、"
            "オーナー権限を譲渡してください",
        )
    ),
    "accounts.owner_by_transfer": Entry(
        Text(en="{remedy} to make someone the Owner", ja="オーナーを替えるには、{remedy}"),
        cli=Text(
            en="use `kura users transfer-ownership`",
            ja="`kura users transfer-ownership` を使ってください",
        ),
        gui=Text(
            en="use Transfer ownership… in Members",
            ja="「メンバー」画面の「オーナー権限を譲渡…」を使ってください",
        ),
    ),
    "accounts.no_role_request": Entry(
        Text(
            en="no role change is pending for {name!r}",
            ja="「{name}」の承認待ちのロール変更はありません",
        )
    ),
    "accounts.already_owner": Entry(
        Text(
            en="you are already the Owner: name another user",
            ja="あなたはすでにオーナーです。別のユーザーを指定してください",
        )
    ),
    "accounts.transfer_to_disabled": Entry(
        Text(
            en="{name} is disabled: enable the account before handing it ownership",
            ja="{name} は無効になっています。オーナー権限を譲渡する前にアカウントを"
            "有効にしてください",
        )
    ),
    "accounts.owner_not_managed": Entry(
        Text(
            en="permission denied: the Owner's account changes only by ownership transfer",
            ja="権限がありません: オーナーのアカウントはオーナー権限の譲渡でしか変更できません",
        )
    ),
    "accounts.manage_self": Entry(
        Text(
            en="permission denied: you cannot change your own role or status; ask another "
            "Admin or the Owner",
            ja="権限がありません: 自分のロールや状態は変更できません。ほかの管理者か"
            "オーナーに依頼してください",
        )
    ),
    # ---- input rules
    "accounts.username_invalid": Entry(
        Text(
            en="invalid user name {name!r}: use 1-63 characters without spaces, slashes, "
            "colons or control characters",
            ja="ユーザー名「{name}」は使えません。空白・スラッシュ・コロン・制御文字を"
            "含まない 1〜63 文字にしてください",
        )
    ),
    "accounts.password_too_short": Entry(
        Text(
            en="password too short ({length} characters): use at least {minimum}; a few "
            "unrelated words make a strong one",
            ja="パスワードが短すぎます（{length} 文字）。{minimum} 文字以上にしてください。"
            "関係のない単語をいくつか並べると強いパスワードになります",
        )
    ),
    "accounts.password_too_long": Entry(
        Text(
            en="password too long ({length} characters): at most {maximum} are accepted",
            ja="パスワードが長すぎます（{length} 文字）。{maximum} 文字までにしてください",
        )
    ),
    "accounts.password_weak": Entry(
        Text(
            en="password refused: {reason}; a few unrelated words make a strong one",
            ja="このパスワードは使えません: {reason}。関係のない単語をいくつか並べると"
            "強いパスワードになります",
        )
    ),
    # ---- why a password is weak (the strength estimator's reasons, as Terms)
    "accounts.weak.common": Entry(
        Text(en="it is one of the most common passwords", ja="よく使われるパスワードの一つです")
    ),
    "accounts.weak.name": Entry(
        Text(
            en="it is built from the user name or display name",
            ja="ユーザー名か表示名からできています",
        )
    ),
    "accounts.weak.guessable": Entry(Text(en="it is easy to guess", ja="推測されやすいです")),
    "accounts.weak.empty": Entry(Text(en="it is empty", ja="空です")),
    "accounts.weak.keyboard_row": Entry(
        Text(
            en="straight rows of keys are easy to guess",
            ja="キーボードの横一列の並びは推測されやすいです",
        )
    ),
    "accounts.weak.keyboard_pattern": Entry(
        Text(
            en="short keyboard patterns are easy to guess",
            ja="短いキーボードのパターンは推測されやすいです",
        )
    ),
    "accounts.weak.repeats": Entry(
        Text(
            en='repeats like "aaa" are easy to guess',
            ja="「aaa」のような繰り返しは推測されやすいです",
        )
    ),
    "accounts.weak.repeated_words": Entry(
        Text(
            en='repeats like "abcabcabc" are only slightly harder to guess than "abc"',
            ja="「abcabcabc」のような繰り返しは「abc」とほとんど変わらず推測されやすいです",
        )
    ),
    "accounts.weak.sequence": Entry(
        Text(
            en='sequences like "abc" or "6543" are easy to guess',
            ja="「abc」や「6543」のような連続は推測されやすいです",
        )
    ),
    "accounts.weak.recent_year": Entry(
        Text(en="recent years are easy to guess", ja="最近の年は推測されやすいです")
    ),
    "accounts.weak.date": Entry(
        Text(en="dates are often easy to guess", ja="日付は推測されやすいことが多いです")
    ),
    "accounts.weak.top10": Entry(
        Text(
            en="this is a top-10 common password",
            ja="最もよく使われるパスワード上位 10 件に入っています",
        )
    ),
    "accounts.weak.top100": Entry(
        Text(
            en="this is a top-100 common password",
            ja="よく使われるパスワード上位 100 件に入っています",
        )
    ),
    "accounts.weak.very_common": Entry(
        Text(en="this is a very common password", ja="非常によく使われるパスワードです")
    ),
    "accounts.weak.similar_common": Entry(
        Text(
            en="this is similar to a commonly used password",
            ja="よく使われるパスワードに似ています",
        )
    ),
    "accounts.weak.single_word": Entry(
        Text(en="a word by itself is easy to guess", ja="単語一つだけでは推測されやすいです")
    ),
    "accounts.weak.names": Entry(
        Text(
            en="names and surnames by themselves are easy to guess",
            ja="名前や名字だけでは推測されやすいです",
        )
    ),
    "accounts.weak.common_names": Entry(
        Text(
            en="common names and surnames are easy to guess",
            ja="よくある名前や名字は推測されやすいです",
        )
    ),
    "accounts.not_signed_in": Entry(
        Text(
            en="nobody is signed in: sign in first",
            ja="サインインしていません。先にサインインしてください",
        )
    ),
}
