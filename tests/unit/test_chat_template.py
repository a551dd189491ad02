"""Chat templates: real-world templates render, the sandbox holds, system folding works."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.chat_models import ChatMessage, GgufInfo, template_in_use
from desktop.core.errors import TemplateError
from desktop.inference.template import (
    CHATML_STOPS,
    GEMMA_STOPS,
    GEMMA_TEMPLATE,
    PLAIN_STOPS,
    ChatTemplate,
    choose_template,
    fold_system,
)

# Gemma 2's template refuses a system message outright.
GEMMA2 = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}"
    "{% else %}{% set role = message['role'] %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}"
)

# Gemma 3's template folds the system message itself (whitespace-controlled, multi-line).
GEMMA3 = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- set role = "model" if message['role'] == 'assistant' else message['role'] -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}
    {{- message['content'] | trim }}{{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{'<start_of_turn>model\n'}}
{%- endif -%}
"""

LLAMA3 = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
    "{% endif %}"
)

CHAT = [
    ChatMessage("system", "Be brief."),
    ChatMessage("user", "Hi"),
    ChatMessage("assistant", "Hello."),
    ChatMessage("user", "蔵とは？"),
]
GEMMA_EXPECTED = (
    "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n"
    "<start_of_turn>model\nHello.<end_of_turn>\n"
    "<start_of_turn>user\n蔵とは？<end_of_turn>\n<start_of_turn>model\n"
)


def _template(source: str, bos: str = "<bos>", eos: str = "<eos>") -> ChatTemplate:
    return ChatTemplate(source, bos_token=bos, eos_token=eos)


def test_gemma3_template_renders() -> None:
    assert _template(GEMMA3).render(CHAT) == GEMMA_EXPECTED


def test_gemma2_template_gets_the_system_message_folded() -> None:
    template = _template(GEMMA2)
    assert template.render(CHAT) == GEMMA_EXPECTED
    assert template.render(CHAT) == GEMMA_EXPECTED  # remembered: folded at once
    assert template.render(CHAT[1:]) == GEMMA_EXPECTED.replace("Be brief.\n\n", "")


def test_llama3_template_renders() -> None:
    text = _template(LLAMA3, bos="<|begin_of_text|>").render(CHAT[:2])
    assert text == (
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )


def test_builtin_gemma_template_matches_gemma3s_own() -> None:
    assert _template(GEMMA_TEMPLATE).render(CHAT) == GEMMA_EXPECTED
    assert GEMMA_STOPS[0] == "<end_of_turn>"


def test_templateless_gemma_is_a_base_model_and_gets_a_plain_document() -> None:
    """A Gemma GGUF without a template (the bundled demo) is pre-trained only: no turn
    markers it never learned, one BOS, the system text first, ending at "Answer:"."""
    gemma = choose_template(_info(None, "gemma3"))
    assert gemma.builtin and gemma.stops == PLAIN_STOPS
    text = _template(gemma.source).render(CHAT)
    assert text == ("<bos>Be brief.\n\nQuestion: Hi\nAnswer: Hello.\n\nQuestion: 蔵とは？\nAnswer:")
    assert text.count("<bos>") == 1 and "<start_of_turn>" not in text
    assert "\n\n" in gemma.stops and "\nQuestion:" in gemma.stops


def test_fallbacks_by_architecture() -> None:
    chatml = choose_template(_info("   ", "llama"))
    assert chatml.builtin and chatml.stops == CHATML_STOPS
    assert _template(chatml.source).render(CHAT[:2]) == (
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    own = choose_template(_info(LLAMA3, "gemma3"))
    assert (own.source, own.stops, own.builtin) == (LLAMA3, (), False)


def _info(template: str | None, architecture: str) -> GgufInfo:
    return GgufInfo(gguf_version=3, architecture=architecture, chat_template=template)


def test_the_model_list_and_trace_name_the_template_in_use() -> None:
    """An instruction-tuned GGUF keeps its own template; the fallbacks are named."""
    assert template_in_use(_info(LLAMA3, "gemma3")) == "model"
    assert template_in_use(_info(None, "gemma3")) == "plain"
    assert template_in_use(_info(" ", "llama")) == "chatml"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''.__class__ }}",
        "{{ messages.__class__.__base__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ self._TemplateReference__context }}",
        "{{ raise_exception.__globals__ }}",
        "{% set _ = messages.append({'role': 'user', 'content': 'x'}) %}",
        "{% set _ = messages[0].update({'content': 'x'}) %}",
        "{{ range(10**9) | list }}",
    ],
)
def test_sandbox_escapes_fail_with_template_error(source: str) -> None:
    with pytest.raises(TemplateError):
        _template(source).render(CHAT[1:2])


def test_template_failures_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="refused the messages"):
        _template(GEMMA2).render([ChatMessage("assistant", "x")])
    with pytest.raises(TemplateError, match="failed"):
        _template("{% for %}")
    with pytest.raises(TemplateError, match="failed"):
        _template("{{ messages[0]['content'] + 1 }}").render(CHAT[1:2])
    with pytest.raises(TemplateError, match="unknown chat role"):
        _template(LLAMA3).render([ChatMessage("tool", "x")])


def test_helpers_hugging_face_templates_expect() -> None:
    text = _template("{{ strftime_now('%Y') }}|{{ messages | tojson }}|{{ eos_token }}").render(
        [ChatMessage("user", "<b>蔵</b>")]
    )
    year, payload, eos = text.split("|")
    assert int(year) in {dt.datetime.now().year - 1, dt.datetime.now().year}
    assert payload == '[{"role": "user", "content": "<b>蔵</b>"}]'
    assert eos == "<eos>"


def test_generation_markers_are_accepted() -> None:
    source = "{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}{% endfor %}"
    assert _template(source).render(CHAT[1:3]) == "HiHello."


def test_loop_controls_and_missing_names() -> None:
    source = "{% for m in messages %}{% if loop.index > 1 %}{% break %}{% endif %}{{ m.content }}"
    source += "{% endfor %}{{ tools }}{% if tools is not defined %}!{% endif %}"
    assert _template(source).render(CHAT[1:]) == "Hi!"


def test_fold_system_edge_cases() -> None:
    sys_a, sys_b = ChatMessage("system", "A"), ChatMessage("system", "B")
    user, bot = ChatMessage("user", "u"), ChatMessage("assistant", "b")
    assert fold_system([user, bot]) == [user, bot]
    assert fold_system([sys_a, sys_b, user]) == [ChatMessage("user", "A\n\nB\n\nu")]
    assert fold_system([sys_a]) == [ChatMessage("user", "A")]
    assert fold_system([sys_a, bot]) == [ChatMessage("user", "A"), bot]
    assert fold_system([ChatMessage("system", "  "), user]) == [user]


def test_default_sampling_suits_the_small_demo_model() -> None:
    """Low temperature, Gemma 3's top_k/top_p, no repeat penalty (measured by
    tests/benchmarks/test_demo_answers.py)."""
    from desktop.core.chat_models import SamplingParams

    params = SamplingParams()
    assert (params.temperature, params.top_k, params.top_p, params.repeat_penalty) == (
        0.2,
        64,
        0.95,
        1.0,
    )
