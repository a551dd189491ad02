"""Messages of two-step sign-in (TOTP) and the security policies (``security.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

MESSAGES: dict[str, Entry] = {
    "security.totp_not_pending": Entry(
        Text(
            en="no TOTP enrollment is pending: {remedy}",
            ja="登録途中のワンタイムコード（TOTP）はありません。{remedy}",
        ),
        cli=Text(
            en="run `kura users totp enroll`",
            ja="`kura users totp enroll` を実行してください",
        ),
        gui=Text(
            en="start one with Set up… under Settings > Security > Two-step sign-in",
            ja="設定 > セキュリティ > 2 段階サインイン の「設定…」から始めてください",
        ),
    ),
    "security.totp_code_mismatch": Entry(
        Text(
            en="the code does not match: enter the current code from the authenticator "
            "app (and check that the device's clock is right)",
            ja="コードが一致しません。認証アプリに表示されている現在のコードを入力してください"
            "（端末の時計が正しいかも確かめてください）",
        )
    ),
    "security.owner_totp_reset": Entry(
        Text(
            en="permission denied: only the Owner can reset the Owner's one-time codes",
            ja="権限がありません: オーナーのワンタイムコードをリセットできるのはオーナー"
            "本人だけです",
        )
    ),
}
