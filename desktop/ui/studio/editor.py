"""The app editor: a form over one AppConfig. It only edits values; the Studio view
saves them. ``changed`` fires on every edit; ``dirty`` compares with what was loaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import (
    AppConfig,
    AppRecord,
    AppVisibility,
    ModelRecord,
    template_variables,
)
from desktop.core.knowledge_models import KnowledgeBase
from desktop.ui.knowledge.widgets import CheckList, MemberPicker
from desktop.ui.plain import PlainLabel
from desktop.ui.studio.privacy import PrivacyPolicies
from desktop.ui.studio.questions import QuestionsEditor
from desktop.ui.studio.variables import VariableLabelsEditor
from desktop.ui.widgets import spin_box

SEED_RANDOM = -1


def _double(
    parent: QWidget, name: str, low: float, high: float, step: float, decimals: int = 2
) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setObjectName(name)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    return box


class AppEditor(QWidget):
    """Name, description, model, instructions with {{variables}}, parameters, opening
    statement, suggested questions, linked knowledge bases and visibility."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appEditor")
        self.app: AppRecord | None = None
        self._baseline: dict[str, Any] = {}
        self._hidden_kbs: tuple[int, ...] = ()  # linked kbs this user cannot see
        self._kb_records: list[KnowledgeBase] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self._basics())
        layout.addWidget(self._instructions())
        layout.addWidget(self._parameters())
        layout.addWidget(self._conversation())
        layout.addWidget(self._access())
        self.privacy = PrivacyPolicies(self)
        layout.addWidget(self.privacy)
        layout.addStretch(1)
        self._connect()
        self.show_app(None)

    # ------------------------------------------------------------------ layout

    def _basics(self) -> QGroupBox:
        box = QGroupBox(self.tr("App"), self)
        form = QFormLayout(box)
        self.name = QLineEdit(box)
        self.name.setObjectName("appName")
        self.name.setPlaceholderText(self.tr("e.g. Support assistant"))
        self.icon = QLineEdit(box)
        self.icon.setObjectName("appIcon")
        self.icon.setMaxLength(8)
        self.icon.setPlaceholderText(self.tr("An emoji"))
        self.description = QLineEdit(box)
        self.description.setObjectName("appDescription")
        self.description.setPlaceholderText(self.tr("What the app is for"))
        self.model = QComboBox(box)
        self.model.setObjectName("appModel")
        self.no_models = PlainLabel(
            self.tr("No models yet: the Owner registers one in Models."), box
        )
        self.no_models.setObjectName("appNoModels")
        self.no_models.setWordWrap(True)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Icon"), self.icon)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Model"), self.model)
        form.addRow("", self.no_models)
        return box

    def _instructions(self) -> QGroupBox:
        box = QGroupBox(self.tr("Instructions"), self)
        layout = QVBoxLayout(box)
        self.instructions = QPlainTextEdit(box)
        self.instructions.setObjectName("appInstructions")
        self.instructions.setPlaceholderText(
            self.tr("You are a friendly assistant for {{topic}}. Answer briefly.")
        )
        self.instructions.setMinimumHeight(140)
        self.variables = PlainLabel(box)
        self.variables.setObjectName("appVariables")
        self.variables.setWordWrap(True)
        self.variable_labels = VariableLabelsEditor(box)
        layout.addWidget(self.instructions)
        layout.addWidget(self.variables)
        layout.addWidget(self.variable_labels)
        return box

    def _parameters(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model parameters"), self)
        form = QFormLayout(box)
        self.temperature = _double(box, "appTemperature", 0.0, 5.0, 0.05)
        self.temperature.setToolTip(self.tr("Higher is more varied, lower more predictable"))
        self.top_p = _double(box, "appTopP", 0.01, 1.0, 0.01)
        self.top_k = spin_box(box, "appTopK", 0, 1000)
        self.max_tokens = spin_box(box, "appMaxTokens", 1, 131_072)
        self.repeat_penalty = _double(box, "appRepeatPenalty", 0.5, 2.0, 0.05)
        self.seed = spin_box(box, "appSeed", SEED_RANDOM, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("Random"))
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Top-k"), self.top_k)
        form.addRow(self.tr("Max answer tokens"), self.max_tokens)
        form.addRow(self.tr("Repeat penalty"), self.repeat_penalty)
        form.addRow(self.tr("Seed"), self.seed)
        return box

    def _conversation(self) -> QGroupBox:
        box = QGroupBox(self.tr("Conversation start"), self)
        form = QFormLayout(box)
        self.opening = QPlainTextEdit(box)
        self.opening.setObjectName("appOpening")
        self.opening.setPlaceholderText(self.tr("Hello! Ask me anything about…"))
        self.opening.setMaximumHeight(80)
        self.questions = QuestionsEditor(box)
        form.addRow(self.tr("Opening statement"), self.opening)
        form.addRow(self.tr("Suggested questions"), self.questions)
        return box

    def _access(self) -> QGroupBox:
        box = QGroupBox(self.tr("Knowledge and access"), self)
        form = QFormLayout(box)
        self.kbs = CheckList(box)
        self.kbs.setObjectName("appKbs")
        self.kbs.setMaximumHeight(120)
        self.no_kbs = PlainLabel(self.tr("No knowledge bases you can read yet."), box)
        self.visibility = QComboBox(box)
        self.visibility.setObjectName("appVisibility")
        self.visibility.addItem(self.tr("All members"), AppVisibility.ALL.value)
        self.visibility.addItem(self.tr("Chosen members"), AppVisibility.PARTIAL.value)
        self.members = MemberPicker(box)
        self.members.setObjectName("appMembers")
        self.exhaustive = QCheckBox(self.tr("Read every document for each question"), box)
        self.exhaustive.setObjectName("appExhaustive")
        self.exhaustive.setToolTip(
            self.tr(
                "For questions like “list every…” or “how many…”: the model reads all of "
                "the documents in batches instead of the best few passages (much slower)."
            )
        )
        form.addRow(self.tr("Knowledge bases"), self.kbs)
        form.addRow("", self.no_kbs)
        form.addRow("", self.exhaustive)
        form.addRow(self.tr("Who can use it"), self.visibility)
        form.addRow(self.tr("Members"), self.members)
        self._members_label = form.labelForField(self.members)
        return box

    def _connect(self) -> None:
        for edit in (self.name, self.icon, self.description):
            edit.textChanged.connect(self._on_field_changed)
        for text in (self.instructions, self.opening):
            text.textChanged.connect(self._on_field_changed)
        for combo in (self.model, self.visibility):
            combo.currentIndexChanged.connect(self._on_field_changed)
        self.exhaustive.toggled.connect(self._on_field_changed)
        for spin in self._spins():
            spin.valueChanged.connect(self._on_field_changed)
        for source in (self.questions, self.kbs, self.members, self.variable_labels, self.privacy):
            source.changed.connect(self._on_field_changed)

    def _spins(self) -> tuple[QSpinBox | QDoubleSpinBox, ...]:
        return (
            self.temperature,
            self.top_p,
            self.top_k,
            self.max_tokens,
            self.repeat_penalty,
            self.seed,
        )

    # ------------------------------------------------------------------ loading

    def set_choices(
        self,
        models: list[ModelRecord],
        kbs: list[KnowledgeBase],
        users: list[tuple[str, str]] | None,
    ) -> None:
        """What may be picked: registered models, readable kbs, accounts (None: typed)."""
        current = self.values()
        self.model.blockSignals(True)
        self.model.clear()
        for model in models:
            self.model.addItem(model.name, model.id)
        self.model.blockSignals(False)
        self.no_models.setVisible(not models)
        self._kb_records = kbs
        self.kbs.set_items([(kb.id, kb.name) for kb in kbs])
        self.no_kbs.setVisible(not kbs)
        self.members.set_users(users)
        self._fill(current)
        self._baseline = self._record_values(self.app) if self.app else self._blank_values()
        self._label_kbs()

    def show_app(self, app: AppRecord | None) -> None:
        """Load ``app`` (or a blank form for a new app); it is then clean."""
        self.app = app
        values = self._record_values(app) if app else self._blank_values()
        self._fill(values)
        self._baseline = values if app else self.values()
        self._label_kbs()
        self.changed.emit()

    def _label_kbs(self) -> None:
        """Mark knowledge bases whose allowlist leaves this app out: chat skips them."""
        app_id = self.app.id if self.app else None
        for kb in self._kb_records:
            barred = bool(kb.app_allowlist) and app_id not in kb.app_allowlist
            text = self.tr("{name} (not allowed for this app)").format(name=kb.name)
            tip = self.tr("Its settings in Knowledge list the apps that may use it.")
            self.kbs.set_label(kb.id, text if barred else kb.name, tip if barred else "")

    def _blank_values(self) -> dict[str, Any]:
        config = AppConfig(name="", model_id=self.model.itemData(0) or 0)
        return self._config_values(config)

    def _record_values(self, app: AppRecord) -> dict[str, Any]:
        return self._config_values(app.config)

    def _config_values(self, config: AppConfig) -> dict[str, Any]:
        visible = set(self.kbs.ids())
        self._hidden_kbs = tuple(k for k in config.kb_ids if k not in visible)
        data = config.as_dict()
        data.pop("variables")
        data["params"] = config.params.as_dict()
        data["visibility"] = config.visibility.value
        data["suggested_questions"] = tuple(config.suggested_questions)
        data["kb_ids"] = tuple(config.kb_ids)
        data["members"] = tuple(config.members)
        data["exhaustive"] = config.exhaustive
        data["minimise_logs"], data["pseudonymise"] = config.minimise_logs, config.pseudonymise
        return data

    def _fill(self, values: dict[str, Any]) -> None:
        self.blockSignals(True)
        self.name.setText(values["name"])
        self.icon.setText(values["icon"])
        self.description.setText(values["description"])
        index = self.model.findData(values["model_id"])
        if index < 0 and values["model_id"]:
            self.model.addItem(self.tr("(missing model)"), values["model_id"])
            index = self.model.count() - 1
        self.model.setCurrentIndex(index)
        self.instructions.setPlainText(values["instructions"])
        self.variable_labels.load(
            template_variables(values["instructions"]), values["variable_labels"]
        )
        params = values["params"]
        self.temperature.setValue(params["temperature"])
        self.top_p.setValue(params["top_p"])
        self.top_k.setValue(params["top_k"])
        self.max_tokens.setValue(params["max_tokens"])
        self.repeat_penalty.setValue(params["repeat_penalty"])
        self.seed.setValue(SEED_RANDOM if params["seed"] is None else params["seed"])
        self.opening.setPlainText(values["opening_statement"])
        self.questions.set_questions(tuple(values["suggested_questions"]))
        self.kbs.set_checked(values["kb_ids"])
        self.exhaustive.setChecked(bool(values.get("exhaustive", False)))
        self.visibility.setCurrentIndex(self.visibility.findData(values["visibility"]))
        self.members.set_selected(values["members"])
        self.privacy.load(values.get("minimise_logs"), values.get("pseudonymise"))
        self.blockSignals(False)
        self._on_field_changed()

    # ------------------------------------------------------------------ reading

    def values(self) -> dict[str, Any]:
        partial = self.visibility.currentData() == AppVisibility.PARTIAL.value
        seed = self.seed.value()
        return {
            "name": self.name.text().strip(),
            "model_id": self.model.currentData() or 0,
            "description": self.description.text().strip(),
            "icon": self.icon.text().strip(),
            "instructions": self.instructions.toPlainText(),
            "params": {
                "temperature": round(self.temperature.value(), 4),
                "top_p": round(self.top_p.value(), 4),
                "top_k": self.top_k.value(),
                "max_tokens": self.max_tokens.value(),
                "repeat_penalty": round(self.repeat_penalty.value(), 4),
                "seed": None if seed == SEED_RANDOM else seed,
            },
            "opening_statement": self.opening.toPlainText(),
            "suggested_questions": self.questions.questions(),
            "kb_ids": tuple(sorted(set(self._hidden_kbs) | set(self.kbs.checked()))),
            "visibility": self.visibility.currentData(),
            "members": self.members.selected() if partial else (),
            "variable_labels": self.variable_labels.labels(),
            "exhaustive": self.exhaustive.isChecked(),
            **self.privacy.values(),
        }

    @property
    def dirty(self) -> bool:
        return self._normal(self.values()) != self._normal(self._baseline)

    @staticmethod
    def _normal(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        out["kb_ids"] = tuple(sorted(values.get("kb_ids", ())))
        return out

    def config(self) -> AppConfig:
        """The form as a config (InputError for parameters out of range)."""
        return AppConfig.from_dict(self.values())

    def changes(self) -> dict[str, Any]:
        """The edited fields, as the service's ``edit`` takes them."""
        now, before = self._normal(self.values()), self._normal(self._baseline)
        config = AppConfig.from_dict(now)
        return {key: getattr(config, key) for key in now if now[key] != before.get(key)}

    def set_read_only(self, read_only: bool) -> None:
        for widget in (
            self.name,
            self.icon,
            self.description,
            self.model,
            self.instructions,
            self.variable_labels,
            self.opening,
            self.questions,
            self.kbs,
            self.exhaustive,
            self.visibility,
            self.members,
            *self._spins(),
        ):
            widget.setEnabled(not read_only)
        self.privacy.set_read_only(read_only)

    def _on_field_changed(self, *_args: object) -> None:
        if self.signalsBlocked():
            return
        names = template_variables(self.instructions.toPlainText())
        self.variable_labels.set_names(names)
        self.variables.setText(
            self.tr(
                "Variables: {names} — each new chat asks for them under the labels below."
            ).format(names=", ".join(names))
            if names
            else self.tr("Write {{name}} in the instructions to ask for a value per chat.")
        )
        partial = self.visibility.currentData() == AppVisibility.PARTIAL.value
        self.members.setVisible(partial)
        if self._members_label is not None:
            self._members_label.setVisible(partial)
        self.changed.emit()
