"""The Chat screen: pick an app (or a quick chat with a model), pick, find or start a
conversation, drop files on it, and talk to it.

Reads run on the ``DB`` lane; answers stream on the ``INFERENCE`` lane in ~30 ms batches
into the answer's own bubble. This module builds the screen, loads apps, conversations
and turns, and drives the sidebar; sending, streaming and stopping an answer live in
:mod:`desktop.ui.chat.sending`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.core.chat_models import AppRecord, Conversation, ModelRecord, Turn
from desktop.core.models import Actor
from desktop.core.rbac import Permission
from desktop.ui.chat import dialogs
from desktop.ui.chat.actions import AnswerActions
from desktop.ui.chat.conversations import QUICK_CHATS, ConversationPanel
from desktop.ui.chat.dropping import FileDropTarget, FileDropView
from desktop.ui.chat.editing import MessageEdit
from desktop.ui.chat.look import chat_style_sheet
from desktop.ui.chat.pane import ChatPane
from desktop.ui.context import UiContext
from desktop.ui.style import is_dark
from desktop.ui.tasks import Lane, LaneContext, Task


class ChatView(FileDropView):
    """Apps, conversations, a streaming transcript and the message box."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("chatView")
        self.setStyleSheet(chat_style_sheet(is_dark()))  # rebuilt when the theme changes
        self._apps: dict[int, AppRecord] = {}  # the quick-chat apps too
        self._models: dict[int, ModelRecord] = {}  # the registered models, for quick chats
        self._quick = False  # "Quick chats" is picked
        self._quick_auto = False  # ... only because there was no app yet (not by the user)
        self._loading_turns: Task | None = None
        self._build()
        self.editing = MessageEdit(self.pane)
        self._connect()
        self.answer_actions = AnswerActions(
            self, self.transcript, self.message, self._actor, self._show_failure
        )
        self._set_has_apps(False)

    def title(self) -> str:
        return self.tr("Chat")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.sidebar = ConversationPanel(self)
        outer.addWidget(self.sidebar)
        self.pane = ChatPane(self)
        self.pane.export_fetch = self._fetch_export
        self.pane.export_ready = lambda: self._conversation_id is not None and not self.streaming
        self.pane.export_button.title = self._conversation_title
        self.pane.empty_action.clicked.connect(
            lambda: self.ctx.screen_requested.emit("settings", "models")
        )
        outer.addWidget(self.pane, 1)
        p = self.pane
        self.transcript, self.composer, self.variables = p.transcript, p.composer, p.variables
        self.message, self.composer_message = p.message, p.composer_message
        self.send_button, self.stop_button, self.gauge = p.send_button, p.stop_button, p.gauge
        self.file_drop = FileDropTarget(self.pane)
        self.find_shortcut = QShortcut(QKeySequence("Ctrl+K"), self)
        self.find_shortcut.activated.connect(self.focus_search)

    def _connect(self) -> None:
        self.sidebar.app_chosen.connect(self._on_sidebar_app_chosen)
        self.sidebar.conversation_chosen.connect(self._on_sidebar_conversation_chosen)
        self.sidebar.new_requested.connect(self._on_sidebar_new_requested)
        self.sidebar.quick_requested.connect(self.ask_quick_chat)
        self.sidebar.search_requested.connect(self._on_sidebar_search_requested)
        self.file_drop.dropped.connect(self.attach_files)
        self.composer.files_dropped.connect(self.attach_files)
        self.sidebar.rename_requested.connect(self._on_sidebar_rename_requested)
        self.sidebar.delete_requested.connect(self._on_sidebar_delete_requested)
        self.transcript.question_clicked.connect(self.send_text)
        self.transcript.edit_requested.connect(self._on_transcript_edit_requested)
        self.transcript.regenerate_requested.connect(self.regenerate)
        self.composer.send_requested.connect(self._on_composer_send_requested)
        self.composer.stop_requested.connect(self.stop)
        self.send_button.clicked.connect(self._on_composer_send_requested)
        self.stop_button.clicked.connect(self.stop)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        if self._stream is None:
            self._load_apps()

    def _load_apps(self) -> None:
        actor = self._actor()
        if actor is None:
            return

        def op(lc: LaneContext) -> tuple[list[AppRecord], list[AppRecord], list[ModelRecord]]:
            apps, quick = lc.ws.apps.list(actor), lc.ws.apps.list(actor, quick=True)
            return apps, quick, lc.ws.models.list(actor)

        self.run(
            Lane.DB, op, key="apps", on_done=self._on_apps_loaded, on_failed=self._show_failure
        )

    def _on_apps_loaded(
        self, result: tuple[list[AppRecord], list[AppRecord], list[ModelRecord]]
    ) -> None:
        apps, quick, models = result
        self._models = {m.id: m for m in models}
        self._apps = {a.id: a for a in (*apps, *quick)}
        current = self._app.id if self._app is not None else None
        picked = [a.id for a in apps]
        if self._quick and self._models and not (self._quick_auto and picked):
            self.sidebar.set_apps(apps, QUICK_CHATS, quick=True)
            self._set_has_apps(True)
            self._app = self._apps.get(current) if current is not None else None
            self._later(self._load_conversations)
            return
        self._quick = False
        keep = current if current in picked else (picked[0] if picked else None)
        self.sidebar.set_apps(apps, keep, quick=bool(self._models))
        self._set_has_apps(keep is not None or bool(self._models))
        if keep is None:
            self._app = None
            if self._models:  # no app, but models: quick chats until an app exists
                self._select_app(QUICK_CHATS)
                self._quick_auto = True
            return
        if keep == current:  # the same app, perhaps a newer version of it
            self._app = self._apps[keep]
            self._show_header()
            if self._conversation_id is None:
                self._start_new()
            self._later(self._load_conversations)
        else:
            self._select_app(keep)

    def _select_app(self, app_id: int) -> None:
        self._quick, self._quick_auto = app_id == QUICK_CHATS, False
        if self._quick:
            self._app = None
            self._start_new()
            self.sidebar.pick(QUICK_CHATS)
            self._later(self._load_conversations)
            return
        self._app = self._apps[app_id]
        self._show_header()
        self._start_new()
        self._later(self._load_conversations)
        self.composer.setFocus()

    def _load_conversations(self) -> None:
        actor = self._actor()
        if actor is None or (self._app is None and not self._quick):
            return
        text = self.sidebar.search.text().strip()
        if text:  # a search is on show: run it again
            self._on_sidebar_search_requested(text)
            return
        app_id = None if self._quick or self._app is None else self._app.id
        quick = {a.id for a in self._apps.values() if a.config.quick}

        def op(lc: LaneContext) -> list[Conversation]:
            convs = lc.ws.chat.conversations(actor, app_id)
            return [c for c in convs if c.app_id in quick] if app_id is None else convs

        self.run(
            Lane.DB,
            op,
            key="conversations",
            on_done=lambda convs: self.sidebar.set_conversations(convs, self._conversation_id),
            on_failed=self._show_failure,
        )

    def _load_turns(self, conversation_id: int, then: Callable[[], None] | None = None) -> None:
        actor = self._actor()
        if actor is None:
            return

        def op(lc: LaneContext) -> tuple[list[Turn], dict[int, str], bool]:
            chat, files = lc.ws.chat, lc.ws.knowledge.conversation_files
            turns, ratings = chat.turns(actor, conversation_id), chat.my_feedback
            return turns, ratings(actor, conversation_id), files.has_files(actor, conversation_id)

        self._loading_turns = self.run(
            Lane.DB,
            op,
            key="turns",
            on_done=lambda loaded: self._on_turns_loaded(conversation_id, *loaded, then=then),
            on_failed=self._show_failure,
        )

    def _on_turns_loaded(
        self,
        conversation_id: int,
        turns: list[Turn],
        ratings: dict[int, str],
        has_files: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        conv = self.sidebar.model.find(conversation_id)
        self.editing.end(clear_box=True)
        self._offer_read_all(files=has_files, reset=True, last=turns[-1] if turns else None)
        self._conversation_id = conversation_id
        self._turns = list(turns)
        if turns:
            self.transcript.show_turns(turns, ratings)
        else:
            self._show_intro()
        values = conv.variables if conv is not None else {}
        labels = self._app.config.labels if self._app is not None else None
        self.variables.set_variables(list(values), values, editable=False, labels=labels)
        self.gauge.show_turn(turns[-1] if turns else None)
        self.message.clear_message()
        self.composer_message.clear_message()
        if then is not None:
            then()

    # ------------------------------------------------------------------ state

    def _show_header(self) -> None:
        if self._app is None:
            return
        config = self._app.config
        self.pane.show_app(config, self._models.get(config.model_id))
        self._offer_read_all()

    def _start_new(self) -> None:
        """An empty conversation with the current app (created by the first message)."""
        if self._loading_turns is not None and not self._loading_turns.finished:
            self._loading_turns.detach()  # a conversation still loading must not land
        self.editing.end(clear_box=True)
        self._conversation_id = None
        self._turns = []
        self._show_intro()
        names = self._app.config.variables if self._app is not None else ()
        labels = self._app.config.labels if self._app is not None else None
        self.variables.set_variables(names, None, editable=True, labels=labels)
        self.gauge.show_turn(None)
        self._offer_read_all(files=False, reset=True)
        self.sidebar.select(None)
        self.message.clear_message()
        self.composer_message.clear_message()

    def _set_has_apps(self, has_apps: bool) -> None:
        allowed = self.ctx.can(Permission.USE_APPS)
        action = ""
        if not allowed:
            text = self.tr("Your role may not use apps.")
        elif not self._models and self.ctx.can(Permission.MANAGE_MODELS):
            text = self.tr("No model yet — add a GGUF model, then chat with it here")
            action = self.tr("Add a model…")
        else:  # with a model there is always something to chat with: quick chats
            text = self.tr("No model yet — ask the Owner to add one")
        self.pane.set_usable(has_apps and allowed, text, action)
        self.sidebar.setEnabled(has_apps and allowed)

    def _conversation_title(self) -> str:
        conv = self.sidebar.model.find(self._conversation_id or -1)
        return conv.title if conv is not None else ""

    def _fetch_export(self, target: str, then: Callable[[str, Sequence[Turn]], None]) -> None:
        """The conversation on show, read for export through the service (which audits
        it in the same transaction); ``then`` writes or prints it."""
        actor, conversation_id = self._actor(), self._conversation_id
        if actor is None or conversation_id is None:
            return
        self.run(
            Lane.DB,
            lambda lc: lc.ws.chat.export(actor, conversation_id, target),
            key="export",
            on_done=lambda result: then(*result),
            on_failed=self._show_failure,
        )

    # ------------------------------------------------------------------ answer actions

    def _on_transcript_edit_requested(self, index: int, text: str) -> None:
        if self._stream is None and self._conversation_id is not None and index < len(self._turns):
            self.editing.begin(index, self._turns[index], text)

    # ------------------------------------------------------------------ sidebar

    def _on_sidebar_app_chosen(self, app_id: int) -> None:
        if self._stream is None and (app_id in self._apps or app_id == QUICK_CHATS):
            self._select_app(app_id)

    def _on_sidebar_new_requested(self) -> None:
        if self._stream is not None:
            return
        if self._quick:  # another quick chat with the same model, or pick one
            model = self._app.config.model_id if self._app is not None else None
            names = {a.config.model_id: a for a in self._apps.values() if a.config.quick}
            if model is not None and model in names:
                self._start_quick(model)
            else:
                self.ask_quick_chat()
        elif self._app is not None:
            self._start_new()
            self.composer.setFocus()

    def _on_sidebar_conversation_chosen(self, conversation_id: int) -> None:
        if self._stream is not None:
            return
        conv = self.sidebar.model.find(conversation_id)
        if (
            conv is not None
            and conv.app_id in self._apps
            and (self._app is None or self._app.id != conv.app_id)
        ):
            self._app = self._apps[conv.app_id]  # found by search, or a quick chat
            self._show_header()
        self._load_turns(conversation_id)

    # ------------------------------------------------------------------ find, quick chat, files

    def focus_search(self) -> None:
        """Ctrl+K: the search box, its text selected."""
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def _on_sidebar_search_requested(self, text: str) -> None:
        actor = self._actor()
        if actor is None:
            return
        if not text:
            self._later(self._load_conversations)
            return
        self.run(
            Lane.DB,
            lambda lc: lc.ws.chat.search(actor, text),
            key="conversations",
            on_done=lambda convs: self.sidebar.show_found(text, convs, self._conversation_id),
            on_failed=self._show_failure,
        )

    def ask_quick_chat(self) -> None:
        """Ask which model, then open a new quick chat with it."""
        if self._stream is None:
            name = dialogs.choose_model(self, [m.name for m in self._models.values()])
            if name is not None:
                self._start_quick(name)

    def _start_quick(self, model: str | int) -> None:
        actor = self._actor()
        if actor is None:
            return
        self.run(
            Lane.DB,
            lambda lc: lc.ws.chat.start_quick(actor, model),
            key="change",
            on_done=self._on_quick_started,
            on_failed=self._show_failure,
        )

    def _on_quick_started(self, result: tuple[AppRecord, Conversation]) -> None:
        app, conv = result
        self._apps[app.id] = app
        self._quick, self._quick_auto, self._app = True, False, app
        self.sidebar.search.clear()
        self.sidebar.pick(QUICK_CHATS)
        self._show_header()
        self._load_turns(conv.id, then=self.composer.setFocus)
        self._later(self._load_conversations)

    def _on_sidebar_rename_requested(self, conversation_id: int, title: str) -> None:
        self._change(lambda lc, actor: lc.ws.chat.rename(actor, conversation_id, title))

    def _on_sidebar_delete_requested(self, conversation_id: int) -> None:
        if conversation_id == self._conversation_id:
            self._start_new()
        self._change(lambda lc, actor: lc.ws.chat.delete(actor, conversation_id))

    def _change(self, fn: Callable[[LaneContext, Actor], Any]) -> None:
        actor = self._actor()
        if actor is None:
            return
        self.run(
            Lane.DB,
            lambda lc: fn(lc, actor),
            key="change",
            on_done=lambda _: self._later(self._load_conversations),
            on_failed=self._show_failure,
        )
