"""Every audit action name, in one place.

The names are part of the audit log's format: auditors filter on them, and the shipped
bundle verifier treats some specially (``retention.purged``). A test checks the verifier's
constants against this enum. Never rename a member's value; add new ones.
"""

from __future__ import annotations

import enum


class AuditAction(enum.StrEnum):
    # workspace and keys
    WORKSPACE_CREATED = "workspace.created"
    WORKSPACE_REKEYED = "workspace.rekeyed"
    WORKSPACE_REKEY_COMPLETED = "workspace.rekey_completed"
    WORKSPACE_RECOVERED = "workspace.recovered"
    WORKSPACE_RECOVERY_KEY_SHOWN = "workspace.recovery_key_shown"
    WORKSPACE_RESTORED = "workspace.restored"  # installed from a backup, in the restored one
    BACKUP_CREATED = "backup.created"
    BACKUP_SCHEDULE_CHANGED = "backup.schedule_changed"
    BACKUP_PRUNED = "backup.pruned"  # scheduled backups beyond the number to keep
    SIGNING_KEY_CREATED = "signing_key.created"
    SIGNING_KEY_ROTATED = "signing_key.rotated"
    # sign-in
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_CODE_REQUIRED = "login.code_required"
    LOGIN_RECOVERY_CODE_USED = "login.recovery_code_used"
    ACCOUNT_LOCKED = "account.locked"
    ACCOUNT_UNLOCKED = "account.unlocked"
    PERMISSION_DENIED = "permission.denied"
    # members
    USER_CREATED = "user.created"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_ROLE_REQUESTED = "user.role_requested"
    USER_ROLE_APPROVED = "user.role_approved"
    USER_ROLE_REJECTED = "user.role_rejected"
    USER_ENABLED = "user.enabled"
    USER_DISABLED = "user.disabled"
    USER_PASSWORD_RESET = "user.password_reset"  # noqa: S105 - an event name
    OWNERSHIP_TRANSFERRED = "ownership.transferred"
    TOTP_ENROLLMENT_STARTED = "totp.enrollment_started"
    TOTP_ENROLLED = "totp.enrolled"
    TOTP_RESET = "totp.reset"
    # settings
    POLICY_CHANGED = "policy.changed"
    PREFERENCE_CHANGED = "preference.changed"
    SETTINGS_IDLE_TIMEOUT = "settings.idle_timeout"
    RETENTION_CHANGED = "retention.changed"
    RETENTION_PURGED = "retention.purged"
    PRIVACY_POLICY_CHANGED = "privacy.policy_changed"  # the workspace default
    PRIVACY_TERMS_CHANGED = "privacy.terms_changed"  # payload: counts, never the terms
    # models and apps
    MODEL_REGISTERED = "model.registered"
    MODEL_CONFIGURED = "model.configured"
    MODEL_REMOVED = "model.removed"
    MODEL_REFRESHED = "model.refreshed"  # a remote model's host name resolved and pinned anew
    NETWORK_REFUSED = "network.refused"  # the guard refused a connection (remote models)
    APP_CREATED = "app.created"
    APP_EDITED = "app.edited"
    APP_DELETED = "app.deleted"
    APP_TEMPLATE_EXPORTED = "app.template_exported"  # payload: the YAML's SHA-256, signer
    APP_TEMPLATE_IMPORTED = "app.template_imported"
    # usage limits
    LIMITS_SET = "limits.set"
    LIMITS_CLEARED = "limits.cleared"
    LIMIT_REFUSED = "limits.refused"  # a turn refused before it started
    # chat
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_RENAMED = "conversation.renamed"
    CONVERSATION_DELETED = "conversation.deleted"
    CONVERSATION_EXPORTED = "conversation.exported"  # to Markdown, PDF or a printer
    CHAT_ASKED = "chat.asked"  # a question, in the transaction that stores it
    CHAT_TURN = "chat.turn"
    CHAT_FAILED = "chat.failed"
    TURN_RATED = "turn.rated"
    TURN_ANNOTATED = "turn.annotated"
    # knowledge
    KB_CREATED = "kb.created"
    KB_UPDATED = "kb.updated"
    KB_DELETED = "kb.deleted"
    KB_SEARCHED = "kb.searched"
    KB_DOCUMENT_ADDED = "kb.document_added"
    KB_DOCUMENT_DELETED = "kb.document_deleted"
    KB_DOCUMENT_ROLLED_BACK = "kb.document_rolled_back"
    KB_PACKAGE_EXPORTED = "kb.package_exported"
    KB_PACKAGE_IMPORTED = "kb.package_imported"
    EXCHANGE_KEY_CREATED = "exchange_key.created"
    SIGNER_TRUSTED = "signer.trusted"
    # logs
    LOGS_EXPORTED = "logs.exported"
    #: The Owner disclosed the opening of one pseudonymised value of a bundle.
    LOGS_PSEUDONYM_OPENED = "logs.pseudonym_opened"


#: Actions whose payload carries a conversation's content (its text, title, ratings,
#: annotations) and names its ``app_id``: what a retention purge, or deleting the
#: conversation for good, empties.
CONVERSATION_CONTENT: tuple[str, ...] = tuple(
    a.value
    for a in (
        AuditAction.CHAT_ASKED,
        AuditAction.CHAT_TURN,
        AuditAction.CHAT_FAILED,
        AuditAction.CONVERSATION_CREATED,
        AuditAction.CONVERSATION_RENAMED,
        AuditAction.TURN_RATED,
        AuditAction.TURN_ANNOTATED,
    )
)
