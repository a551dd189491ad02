"""App templates: a chat app's configuration as a readable YAML file (no I/O here).

A template carries what makes sense on another laptop: the name, description, icon,
instructions with their variables' labels, sampling parameters, opening statement,
suggested questions, the exhaustive mode, the personal-data policies, the linked
knowledge bases by name and the model by name and SHA-256. Visibility and members are
left out (the people differ between workspaces): an imported app is visible to all
members until an Editor narrows it.

Reading is strict, since a template comes from another machine: the file is capped in
size; YAML anchors and aliases (the "billion laughs"), tags, duplicate keys, deep
nesting, unknown keys, wrong types and over-long fields are each refused with an
InputError naming the field and the remedy. PyYAML's safe loader builds only plain
types; the event scan before it refuses what a safe loader would still expand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import yaml

from desktop.core.chat_models import AppConfig, SamplingParams, template_variables
from desktop.core.errors import InputError

FORMAT_KEY = "kura_app_template"
FORMAT_VERSION = 1
#: SSHSIG namespace of a template's detached signature (``FILE.yaml.sig``).
NAMESPACE = "kura-app-template@v1"
MAX_BYTES = 256 * 1024
MAX_TEXT = 20_000  # as AppService's
MAX_NAME = 100
MAX_ICON = 16
MAX_LABEL = 100
MAX_QUESTIONS = 20
MAX_QUESTION = 1_000
MAX_KBS = 64
MAX_KB_NAME = 200
MAX_MODEL_NAME = 200
_MAX_DEPTH = 3  # the template itself, a mapping in it (model, parameters), nothing deeper
_MAX_EVENTS = 5_000
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_TEXT_FIELDS = ("description", "instructions", "opening_statement")
_PRIVACY = ("minimise_logs", "pseudonymise")
_KEYS = (
    FORMAT_KEY,
    "name",
    "description",
    "icon",
    "instructions",
    "variables",
    "parameters",
    "opening_statement",
    "suggested_questions",
    "exhaustive",
    "personal_data",
    "knowledge_bases",
    "model",
)


@dataclass(frozen=True, slots=True)
class AppTemplate:
    """A parsed template: an app's portable settings, its model and knowledge by name."""

    name: str
    model_name: str
    model_sha256: str
    description: str = ""
    icon: str = ""
    instructions: str = ""
    variable_labels: tuple[tuple[str, str], ...] = ()
    params: SamplingParams = field(default_factory=SamplingParams)
    opening_statement: str = ""
    suggested_questions: tuple[str, ...] = ()
    exhaustive: bool = False
    minimise_logs: bool | None = None
    pseudonymise: bool | None = None
    knowledge_bases: tuple[str, ...] = ()

    def config(self, *, name: str, model_id: int, kb_ids: tuple[int, ...]) -> AppConfig:
        """The app configuration this template makes on this workspace."""
        return AppConfig(
            name=name,
            model_id=model_id,
            description=self.description,
            icon=self.icon,
            instructions=self.instructions,
            params=self.params,
            opening_statement=self.opening_statement,
            suggested_questions=self.suggested_questions,
            kb_ids=kb_ids,
            variable_labels=self.variable_labels,
            exhaustive=self.exhaustive,
            minimise_logs=self.minimise_logs,
            pseudonymise=self.pseudonymise,
        )


def from_config(
    config: AppConfig, *, model_name: str, model_sha256: str, kb_names: tuple[str, ...]
) -> AppTemplate:
    """The template of an app's configuration, with its model and knowledge by name."""
    return AppTemplate(
        name=config.name,
        model_name=model_name,
        model_sha256=model_sha256,
        description=config.description,
        icon=config.icon,
        instructions=config.instructions,
        variable_labels=tuple((k, v) for k, v in config.variable_labels if k in config.variables),
        params=config.params,
        opening_statement=config.opening_statement,
        suggested_questions=config.suggested_questions,
        exhaustive=config.exhaustive,
        minimise_logs=config.minimise_logs,
        pseudonymise=config.pseudonymise,
        knowledge_bases=kb_names,
    )


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types
    """Safe YAML with multi-line text as literal blocks, so instructions stay readable."""


#: Line breaks other than LF (YAML 1.1 counts them): in a block or plain scalar they
#: read back as a newline or a space, so a text holding one is double-quoted, where
#: PyYAML writes them as escapes (``\N``, ``\L``, ``\P``, ``\r``).
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(b in value for b in _OTHER_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(template: AppTemplate) -> str:
    """The template as YAML text; :func:`parse` reads it back to an equal template."""
    labels = dict(template.variable_labels)
    document: dict[str, Any] = {
        FORMAT_KEY: FORMAT_VERSION,
        "name": template.name,
        "description": template.description,
        "icon": template.icon,
        "instructions": template.instructions,
        "variables": {v: labels.get(v, "") for v in template_variables(template.instructions)},
        "parameters": template.params.as_dict(),
        "opening_statement": template.opening_statement,
        "suggested_questions": list(template.suggested_questions),
        "exhaustive": template.exhaustive,
        "personal_data": {p: getattr(template, p) for p in _PRIVACY},
        "knowledge_bases": list(template.knowledge_bases),
        "model": {"name": template.model_name, "sha256": template.model_sha256},
    }
    return yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


# ---------------------------------------------------------------- reading


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader, refusing a mapping that names a key twice."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            raise InputError("apptpl.key_not_text", line=key_node.start_mark.line + 1)
        if key in seen:
            raise InputError("apptpl.duplicate_key", key=key, line=key_node.start_mark.line + 1)
        seen.add(key)
    return dict(loader.construct_mapping(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _scan(text: str) -> None:
    """Refuse anchors, aliases, explicit tags, deep nesting and floods of nodes before
    anything is built."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), start=1):
        line = event.start_mark.line + 1
        if count > _MAX_EVENTS:
            raise InputError("apptpl.too_many_nodes", maximum=_MAX_EVENTS)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise InputError("apptpl.yaml_alias", line=line)
        if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) is not None:
            raise InputError("apptpl.yaml_tag", line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                raise InputError("apptpl.too_deep", line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def load_document(data: bytes) -> dict[str, Any]:
    """The template file's top-level mapping, or an InputError saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise InputError("apptpl.too_large", size=len(data), maximum=MAX_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("apptpl.not_utf8", offset=exc.start) from None
    try:
        _scan(text)
        documents = list(yaml.load_all(text, Loader=_Loader))  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise InputError(
            "apptpl.yaml_invalid", line=line, problem=_one_line(exc.problem or exc.context or "")
        ) from None
    except yaml.YAMLError as exc:
        raise InputError("apptpl.yaml_invalid", line=0, problem=_one_line(str(exc))) from None
    if len(documents) != 1:
        raise InputError("apptpl.not_one_document", count=len(documents))
    document = documents[0]
    if not isinstance(document, dict):
        raise InputError("apptpl.not_mapping")
    return document


def parse(data: bytes) -> AppTemplate:
    """A template read from the file's bytes; InputError naming the field otherwise."""
    doc = load_document(data)
    version = doc.get(FORMAT_KEY)
    if version is None:
        raise InputError("apptpl.not_template", key=FORMAT_KEY)
    if type(version) is not int:
        raise InputError("apptpl.wrong_type", field=FORMAT_KEY, expected="integer")
    if version != FORMAT_VERSION:
        raise InputError("apptpl.version_unsupported", version=version, supported=FORMAT_VERSION)
    unknown = sorted(set(doc) - set(_KEYS))
    if unknown:
        raise InputError("apptpl.unknown_keys", where="", keys=", ".join(unknown))
    missing = [k for k in ("name", "model") if k not in doc]
    if missing:
        raise InputError("apptpl.missing_field", field=missing[0])
    model = _submapping(doc, "model", ("name", "sha256"), required=True)
    sha = _text_field(model, "sha256", 64, where="model.", required=True).lower()
    if not _SHA256.match(sha):
        raise InputError("apptpl.model_sha256_invalid")
    instructions = _text_field(doc, "instructions", MAX_TEXT)
    return AppTemplate(
        name=_name(doc),
        model_name=_text_field(model, "name", MAX_MODEL_NAME, where="model.", required=True),
        model_sha256=sha,
        description=_text_field(doc, "description", MAX_TEXT),
        icon=_text_field(doc, "icon", MAX_ICON),
        instructions=instructions,
        variable_labels=_labels(doc, instructions),
        params=_params(doc),
        opening_statement=_text_field(doc, "opening_statement", MAX_TEXT),
        suggested_questions=_texts(doc, "suggested_questions", MAX_QUESTIONS, MAX_QUESTION),
        exhaustive=_flag(doc, "exhaustive", False) is True,
        minimise_logs=_flag(_privacy(doc), "minimise_logs", None, where="personal_data."),
        pseudonymise=_flag(_privacy(doc), "pseudonymise", None, where="personal_data."),
        knowledge_bases=_kb_names(doc),
    )


# ---------------------------------------------------------------- field readers


def _wrong(field: str, expected: str) -> InputError:
    return InputError("apptpl.wrong_type", field=field, expected=expected)


def _text_field(
    doc: Mapping[str, Any], key: str, maximum: int, *, where: str = "", required: bool = False
) -> str:
    value = doc.get(key)
    if value is None:
        if required:
            raise InputError("apptpl.missing_field", field=where + key)
        return ""
    if not isinstance(value, str):
        raise _wrong(where + key, "text")
    if len(value) > maximum:
        raise InputError("apptpl.too_long", field=where + key, maximum=maximum)
    if required and not value.strip():
        raise InputError("apptpl.missing_field", field=where + key)
    return value


def _name(doc: Mapping[str, Any]) -> str:
    name = _text_field(doc, "name", MAX_NAME, required=True).strip()
    if "\n" in name or "\r" in name:
        raise InputError("apptpl.name_one_line")
    return name


def _submapping(
    doc: Mapping[str, Any], key: str, known: tuple[str, ...], *, required: bool = False
) -> dict[str, Any]:
    value = doc.get(key)
    if value is None:
        if required:
            raise InputError("apptpl.missing_field", field=key)
        return {}
    if not isinstance(value, dict):
        raise _wrong(key, "mapping")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise InputError("apptpl.unknown_keys", where=f"{key}: ", keys=", ".join(unknown))
    return value


def _texts(doc: Mapping[str, Any], key: str, count: int, maximum: int) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _wrong(key, "list of texts")
    if len(value) > count:
        raise InputError("apptpl.too_many", field=key, maximum=count)
    for item in value:
        if not isinstance(item, str):
            raise _wrong(key, "list of texts")
        if len(item) > maximum:
            raise InputError("apptpl.too_long", field=key, maximum=maximum)
    return tuple(value)


def _kb_names(doc: Mapping[str, Any]) -> tuple[str, ...]:
    names = _texts(doc, "knowledge_bases", MAX_KBS, MAX_KB_NAME)
    stripped = tuple(n.strip() for n in names)
    if any(not n for n in stripped):
        raise InputError("apptpl.kb_name_blank")
    if len({n.casefold() for n in stripped}) != len(stripped):
        raise InputError("apptpl.kb_name_repeated")
    return stripped


def _flag(doc: Mapping[str, Any], key: str, default: bool | None, *, where: str = "") -> Any:
    value = doc.get(key, default)
    if value is None or isinstance(value, bool):
        return value
    raise _wrong(where + key, "true or false" + (" or null" if default is None else ""))


def _privacy(doc: Mapping[str, Any]) -> dict[str, Any]:
    return _submapping(doc, "personal_data", _PRIVACY)


def _labels(doc: Mapping[str, Any], instructions: str) -> tuple[tuple[str, str], ...]:
    value = doc.get("variables")
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise _wrong("variables", "mapping of variable to label")
    declared = set(template_variables(instructions))
    labels: list[tuple[str, str]] = []
    for variable, given in value.items():
        if variable not in declared:
            raise InputError("apptpl.variable_not_used", variable=variable)
        label = "" if given is None else given
        if not isinstance(label, str):
            raise _wrong(f"variables.{variable}", "text")
        if len(label) > MAX_LABEL:
            raise InputError("apptpl.too_long", field=f"variables.{variable}", maximum=MAX_LABEL)
        if label.strip():
            labels.append((variable, label.strip()))
    return tuple(sorted(labels))


_NUMBER_CHECKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "temperature": ("number", lambda v: isinstance(v, int | float)),
    "top_p": ("number", lambda v: isinstance(v, int | float)),
    "repeat_penalty": ("number", lambda v: isinstance(v, int | float)),
    "top_k": ("integer", lambda v: isinstance(v, int)),
    "max_tokens": ("integer", lambda v: isinstance(v, int)),
    "seed": ("integer or null", lambda v: v is None or isinstance(v, int)),
}


def _params(doc: Mapping[str, Any]) -> SamplingParams:
    known = tuple(f.name for f in fields(SamplingParams))
    value = _submapping(doc, "parameters", known)
    for key, item in value.items():
        expected, check = _NUMBER_CHECKS[key]
        if isinstance(item, bool) or not check(item):
            raise _wrong(f"parameters.{key}", expected)
    values: dict[str, Any] = {
        k: float(v) if _NUMBER_CHECKS[k][0] == "number" else v for k, v in value.items()
    }
    try:
        return SamplingParams(**values)
    except InputError as exc:  # a value out of its range: say which field
        raise InputError("apptpl.parameter_invalid", field="parameters", reason=exc) from None
