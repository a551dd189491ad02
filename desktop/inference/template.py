"""Chat templates: a GGUF's Jinja template rendered in a sandbox, or a built-in fallback.

A chat template comes from the model file, so it is untrusted code. It runs in Jinja's
``ImmutableSandboxedEnvironment`` (no attribute access to Python internals, no mutation
of the messages) with the helpers Hugging Face templates expect (``raise_exception``,
``strftime_now``, a non-escaping ``tojson``), and every failure becomes ``TemplateError``.

Templates that refuse a "system" message (Gemma 1/2, older Mistral) raise from inside the
template; the renderer then folds the system text into the first user message and tries
again, and remembers to fold for that template from then on.

A model without a template gets a fallback chosen by architecture. A Gemma GGUF without a
template is a pre-trained (base) model: instruction-tuned Gemma files carry their template,
and a base model never learned the ``<start_of_turn>`` turns (the bundled demo model, fed
them, echoes the prompt and repeats itself). It gets a plain-text document instead, which
a base model continues: the system text, then "Question:"/"Answer:" pairs, ending at
"Answer:"; the answer stops at a blank line or a new "Question:". Other architectures get
ChatML (``<|im_start|>``, the most widely trained format). The fallback's end-of-turn
marker is returned as a stop sequence, for models whose vocabulary lacks it as a special
token. ``GEMMA_TEMPLATE`` is Gemma 3's own turn format, kept for reference and tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

import jinja2
import jinja2.ext
import jinja2.sandbox

from desktop.core.chat_models import ChatMessage, GgufInfo, template_in_use
from desktop.core.errors import TemplateError

ROLES = frozenset({"system", "user", "assistant"})
MAX_TEMPLATE = 1 << 20

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
CHATML_STOPS = ("<|im_end|>", "<|im_start|>")

# Gemma has no system role: the renderer folds a system message into the first user turn.
GEMMA_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}"
    "{{ raise_exception('Gemma has no system role') }}"
    "{% endif %}"
    "{% set role = 'model' if message['role'] == 'assistant' else 'user' %}"
    "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
)
GEMMA_STOPS = ("<end_of_turn>", "<start_of_turn>")

# A base model's prompt: a plain document it continues (no turn markers it never learned).
PLAIN_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ message['content'] | trim + '\\n\\n' }}"
    "{% elif message['role'] == 'user' %}{{ 'Question: ' + message['content'] | trim + '\\n' }}"
    "{% else %}{{ 'Answer: ' + message['content'] | trim + '\\n\\n' }}"
    "{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ 'Answer:' }}{% endif %}"
)
PLAIN_STOPS = ("\n\n", "\nQuestion:", "<end_of_turn>", "<start_of_turn>")


class _TemplateRaised(Exception):
    """The template itself called ``raise_exception`` (it refuses these messages)."""


class _Undefined(jinja2.Undefined):
    """Missing names render as "" (templates rely on it); forbidden ones fail when shown."""

    __slots__ = ()

    def __str__(self) -> str:
        if issubclass(self._undefined_exception, jinja2.exceptions.SecurityError):
            self._fail_with_undefined_error()
        return ""


class _GenerationTags(jinja2.ext.Extension):
    """Accept Transformers' ``{% generation %}...{% endgeneration %}`` training markers."""

    tags = {"generation"}  # noqa: RUF012 - the type jinja2.ext.Extension declares

    def parse(self, parser: Any) -> Any:
        parser.stream.skip(1)
        return parser.parse_statements(("name:endgeneration",), drop_needle=True)


def _raise_exception(message: str) -> NoReturn:
    raise _TemplateRaised(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


def _tojson(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    """Like Transformers' chat-template ``tojson``: plain JSON, no HTML escaping."""
    return json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _environment() -> jinja2.sandbox.ImmutableSandboxedEnvironment:
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[jinja2.ext.loopcontrols, _GenerationTags],
        autoescape=False,
        undefined=_Undefined,
    )
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    return env


def fold_system(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Move leading system messages into the first user message ("system\\n\\nuser")."""
    lead = 0
    while lead < len(messages) and messages[lead].role == "system":
        lead += 1
    if lead == 0:
        return list(messages)
    system = "\n\n".join(m.content for m in messages[:lead] if m.content.strip())
    rest = list(messages[lead:])
    if rest and rest[0].role == "user":
        joined = f"{system}\n\n{rest[0].content}" if system else rest[0].content
        return [ChatMessage("user", joined), *rest[1:]]
    return [ChatMessage("user", system), *rest] if system else rest


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    """The template a model renders with, and the stop sequences that go with it."""

    source: str
    stops: tuple[str, ...] = ()
    builtin: bool = False


def choose_template(info: GgufInfo) -> TemplateChoice:
    """The model's own template when it has one, else the fallback for its architecture
    (:func:`template_in_use` names the choice for the model page and the trace)."""
    kind = template_in_use(info)
    if kind == "model" and info.chat_template:
        return TemplateChoice(info.chat_template)
    if kind == "plain":
        return TemplateChoice(PLAIN_TEMPLATE, PLAIN_STOPS, builtin=True)
    return TemplateChoice(CHATML_TEMPLATE, CHATML_STOPS, builtin=True)


class ChatTemplate:
    """A compiled, sandboxed chat template; ``render`` turns messages into prompt text."""

    def __init__(self, source: str, *, bos_token: str | None, eos_token: str | None) -> None:
        if len(source) > MAX_TEMPLATE:
            raise TemplateError("models.template_too_large")
        self._context = {"bos_token": bos_token or "", "eos_token": eos_token or ""}
        self._fold = False
        try:
            self._template = _environment().from_string(source)
        except Exception as exc:
            raise _translate(exc) from exc

    def render(self, messages: Sequence[ChatMessage]) -> str:
        """Render with ``add_generation_prompt=True``; TemplateError on any failure."""
        for message in messages:
            if message.role not in ROLES:
                raise TemplateError("models.template_unknown_role", role=message.role)
        has_system = any(m.role == "system" for m in messages)
        if self._fold and has_system:
            return self._checked(fold_system(messages))
        try:
            return self._render(messages)
        except _TemplateRaised as exc:
            if not has_system:
                raise _translate(exc) from exc
        text = self._checked(fold_system(messages))
        self._fold = True  # the template refuses the system role: fold from now on
        return text

    def _checked(self, messages: Sequence[ChatMessage]) -> str:
        try:
            return self._render(messages)
        except _TemplateRaised as exc:
            raise _translate(exc) from exc

    def _render(self, messages: Sequence[ChatMessage]) -> str:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        try:
            return self._template.render(
                messages=payload, add_generation_prompt=True, **self._context
            )
        except _TemplateRaised:
            raise
        except Exception as exc:
            raise _translate(exc) from exc


def _translate(exc: BaseException) -> TemplateError:
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError("models.template_forbidden", reason=detail, details=repr(exc))
    if isinstance(exc, _TemplateRaised):
        return TemplateError("models.template_refused", reason=detail)
    return TemplateError("models.template_failed", reason=detail, details=repr(exc))
