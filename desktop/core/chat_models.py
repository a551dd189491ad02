"""Records for local models, chat apps and conversations (no I/O here)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from desktop.core.errors import InputError
from desktop.core.messages import Term
from desktop.core.remote import REMOTE_ARCHITECTURE, RemoteEndpoint

# ---------------------------------------------------------------- models


@dataclass(frozen=True, slots=True)
class GgufInfo:
    """What a GGUF header says about the model, read without loading the weights."""

    gguf_version: int
    architecture: str
    name: str | None = None
    parameter_count: int | None = None
    quantization: str | None = None
    file_type: int | None = None
    context_length: int | None = None
    embedding_length: int | None = None
    block_count: int | None = None
    head_count: int | None = None  # attention heads, and those with keys and values
    head_count_kv: int | None = None
    key_length: int | None = None  # per head; embedding_length / head_count when absent
    value_length: int | None = None
    chat_template: str | None = field(default=None, repr=False)
    bos_token: str | None = None
    eos_token: str | None = None
    tensor_count: int = 0
    metadata_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GgufInfo:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def template_in_use(info: GgufInfo) -> str:
    """Which chat template a model renders with: "model" (the GGUF's own), else the
    built-in fallback: "plain" for a template-less Gemma (a base model: a plain
    Question/Answer document) or "chatml" for any other architecture."""
    if info.architecture == REMOTE_ARCHITECTURE:
        return "server"  # the inference server applies its model's template
    if info.chat_template and info.chat_template.strip():
        return "model"
    return "plain" if (info.architecture or "").lower().startswith("gemma") else "chatml"


AUTO = "auto"


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """How a model is loaded. ``n_gpu_layers``: "auto" = all layers when the build can
    offload, 0 otherwise; or an explicit number (-1 = all)."""

    n_gpu_layers: int | str = AUTO
    n_threads: int | None = None
    n_ctx: int = 4096
    n_batch: int = 512

    def __post_init__(self) -> None:
        if self.n_gpu_layers != AUTO and not isinstance(self.n_gpu_layers, int):
            raise InputError("models.gpu_layers_not_number")
        if isinstance(self.n_gpu_layers, int) and self.n_gpu_layers < -1:
            raise InputError("models.gpu_layers_range")
        if self.n_threads is not None and not 1 <= self.n_threads <= 512:
            raise InputError("models.threads_range")
        if not 256 <= self.n_ctx <= 1_048_576:
            raise InputError("models.context_size_range")
        if not 1 <= self.n_batch <= 65_536:
            raise InputError("models.batch_size_range")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadSettings:
        return _strict(cls, data, Term("models.what.load_settings"))


@dataclass(frozen=True, slots=True)
class ModelRecord:
    id: int
    name: str
    path: str
    sha256: str
    size: int
    mtime_ns: int
    info: GgufInfo
    settings: LoadSettings
    created_at: str
    created_by: str
    file_key: str = ""  # device:inode:ctime_ns when the hash was last proven
    #: a model served by an internal inference server (desktop/core/remote.py); None: a GGUF
    endpoint: RemoteEndpoint | None = None

    @property
    def remote(self) -> bool:
        return self.endpoint is not None

    def public_dict(self) -> dict[str, Any]:
        info = self.info.as_dict()
        info.pop("chat_template", None)
        remote = {} if self.endpoint is None else {"remote": self.endpoint.public_dict()}
        return remote | {
            "id": self.id,
            "name": self.name,
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "info": info,
            "has_chat_template": bool(self.info.chat_template),
            "template": template_in_use(self.info),
            "settings": self.settings.as_dict(),
            "created_at": self.created_at,
            "created_by": self.created_by,
        }


# ---------------------------------------------------------------- sampling


@dataclass(frozen=True, slots=True)
class SamplingParams:
    """Generation parameters; unknown keys are refused (``from_dict``).

    The defaults are Gemma 3's recommended top_k/top_p with a low temperature and no
    repeat penalty: the bundled 270M demo model answers from a passage best so
    (tests/benchmarks/test_demo_answers.py: 7-8 of 10 at 0.2, 4-7 at the old 0.7/1.1)."""

    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 64
    max_tokens: int = 512
    repeat_penalty: float = 1.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.temperature <= 5.0:
            raise InputError("models.temperature_range")
        if not 0.0 < self.top_p <= 1.0:
            raise InputError("models.top_p_range")
        if not 0 <= self.top_k <= 1000:
            raise InputError("models.top_k_range")
        if not 1 <= self.max_tokens <= 131_072:
            raise InputError("models.max_tokens_range")
        if not 0.5 <= self.repeat_penalty <= 2.0:
            raise InputError("models.repeat_penalty_range")
        if self.seed is not None and not 0 <= self.seed < 2**32:
            raise InputError("models.seed_range")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SamplingParams:
        return _strict(cls, data, Term("models.what.sampling"))


def _strict(cls: Any, data: dict[str, Any], what: Term) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(
            "models.unknown_fields",
            what=what,
            unknown=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
    try:
        return cls(**data)
    except TypeError as exc:
        raise InputError("models.invalid_fields", what=what, reason=str(exc)) from exc


# ---------------------------------------------------------------- apps


class AppVisibility(enum.StrEnum):
    ALL = "all"
    PARTIAL = "partial"


_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}")


def template_variables(text: str) -> tuple[str, ...]:
    """The ``{{variables}}`` an app's instructions ask the user to fill in, in order."""
    seen: dict[str, None] = {}
    for match in _VARIABLE.finditer(text):
        seen.setdefault(match.group(1), None)
    return tuple(seen)


def fill_variables(text: str, values: dict[str, str]) -> str:
    """Substitute ``{{name}}``; a missing value is an InputError naming it."""
    missing = [v for v in template_variables(text) if v not in values]
    if missing:
        raise InputError("chat.app_needs_values", names=", ".join(missing))
    return _VARIABLE.sub(lambda m: values[m.group(1)], text)


@dataclass(frozen=True, slots=True)
class AppConfig:
    """One version of a chat app's configuration."""

    name: str
    model_id: int
    description: str = ""
    icon: str = ""
    instructions: str = ""
    params: SamplingParams = field(default_factory=SamplingParams)
    opening_statement: str = ""
    suggested_questions: tuple[str, ...] = ()
    kb_ids: tuple[int, ...] = ()
    visibility: AppVisibility = AppVisibility.ALL
    members: tuple[str, ...] = ()
    #: a model's built-in quick-chat app (no instructions, no knowledge; made by the
    #: service on a user's first quick chat with that model, left out of app lists)
    quick: bool = False
    # (variable, label) pairs sorted by variable: what the chat's form shows instead of
    # the key; configs stored before labels existed have none
    variable_labels: tuple[tuple[str, str], ...] = ()
    #: every question reads every chunk of the app's documents in batches
    #: (services/exhaustive.py); configs stored before the setting existed have it off
    exhaustive: bool = False
    #: personal-data policies (desktop/core/privacy.py); None follows the workspace
    minimise_logs: bool | None = None
    pseudonymise: bool | None = None

    @property
    def variables(self) -> tuple[str, ...]:
        return template_variables(self.instructions)

    @property
    def labels(self) -> dict[str, str]:
        """Each labelled variable's label."""
        return dict(self.variable_labels)

    def as_dict(self) -> dict[str, Any]:
        return (
            {
                "name": self.name,
                "model_id": self.model_id,
                "description": self.description,
                "icon": self.icon,
                "instructions": self.instructions,
                "variables": list(self.variables),
                "params": self.params.as_dict(),
                "opening_statement": self.opening_statement,
                "suggested_questions": list(self.suggested_questions),
                "kb_ids": list(self.kb_ids),
                "visibility": self.visibility.value,
                "members": list(self.members),
                "variable_labels": self.labels,
            }
            | ({"quick": True} if self.quick else {})
            | ({"exhaustive": True} if self.exhaustive else {})
            | ({} if self.minimise_logs is None else {"minimise_logs": self.minimise_logs})
            | ({} if self.pseudonymise is None else {"pseudonymise": self.pseudonymise})
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppConfig:
        data = {k: v for k, v in data.items() if k != "variables"}
        return cls(
            name=str(data["name"]),
            model_id=int(data["model_id"]),
            description=str(data.get("description", "")),
            icon=str(data.get("icon", "")),
            instructions=str(data.get("instructions", "")),
            params=SamplingParams.from_dict(dict(data.get("params", {}))),
            opening_statement=str(data.get("opening_statement", "")),
            suggested_questions=tuple(data.get("suggested_questions", ())),
            kb_ids=tuple(int(k) for k in data.get("kb_ids", ())),
            visibility=AppVisibility(data.get("visibility", "all")),
            members=tuple(data.get("members", ())),
            quick=bool(data.get("quick", False)),
            variable_labels=label_pairs(data.get("variable_labels", {})),
            exhaustive=bool(data.get("exhaustive", False)),
            minimise_logs=_optional_bool(data.get("minimise_logs")),
            pseudonymise=_optional_bool(data.get("pseudonymise")),
        )

    def with_changes(self, **changes: Any) -> AppConfig:
        if "variable_labels" in changes:
            changes = {**changes, "variable_labels": label_pairs(changes["variable_labels"])}
        return replace(self, **changes)


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def label_pairs(
    labels: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    """Variable labels as sorted (variable, label) pairs, blank labels left out."""
    items = labels.items() if isinstance(labels, Mapping) else labels
    kept = {str(k).strip(): str(v).strip() for k, v in items}
    return tuple(sorted((k, v) for k, v in kept.items() if k and v))


@dataclass(frozen=True, slots=True)
class AppRecord:
    id: int
    version: int
    config: AppConfig
    created_by: str
    created_at: str
    updated_at: str

    def public_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            **self.config.as_dict(),
            "created_by": self.created_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


# ---------------------------------------------------------------- conversations


class StopReason(enum.StrEnum):
    STOP = "stop"  # end of turn or a stop sequence
    LENGTH = "length"  # max_tokens reached
    CANCELLED = "cancelled"  # the user stopped it; the partial answer is kept
    FAILED = "failed"  # the model (or its process) failed mid-answer; the partial is kept


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    app_id: int
    app_version: int
    user_id: int
    title: str
    variables: dict[str, str]
    created_at: str
    updated_at: str

    def public_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "app_id": self.app_id,
            "app_version": self.app_version,
            "title": self.title,
            "variables": self.variables,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class Turn:
    """One user message and the answer to it (the answer may be partial or pending)."""

    id: int
    conversation_id: int
    seq: int
    user_text: str
    answer: str
    stop_reason: str | None
    app_version: int
    model_sha256: str
    usage: dict[str, int]
    timings: dict[str, float]
    dropped_turns: int
    created_at: str
    citations: tuple[dict[str, Any], ...] = ()
    superseded_by: int | None = None  # the turn that replaced it after an edit

    def public_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "citations": list(self.citations),
            "seq": self.seq,
            "user": self.user_text,
            "answer": self.answer,
            "stop_reason": self.stop_reason,
            "app_version": self.app_version,
            "usage": self.usage,
            "timings": self.timings,
            "dropped_turns": self.dropped_turns,
            "created_at": self.created_at,
        }
