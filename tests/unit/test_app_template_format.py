"""Reading an app template strictly: every kind of malformed file is one InputError that
names the field and the remedy, in one line and both languages, and imports nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop import app
from desktop.app_template_files import read_template, signature_path
from desktop.core import app_template
from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError
from desktop.core.messages import Language, Surface
from desktop.core.models import Actor

SHA = "ab" * 32
GOOD = f"""kura_app_template: 1
name: helper
instructions: |
  Help with {{{{topic}}}}.
variables:
  topic: Topic
parameters:
  temperature: 0.5
  seed: null
suggested_questions: [one, two]
knowledge_bases: [Handbook]
personal_data:
  minimise_logs: true
  pseudonymise: null
model:
  name: gemma
  sha256: {SHA}
"""


def _replace(old: str, new: str) -> bytes:
    assert old in GOOD
    return GOOD.replace(old, new, 1).encode("utf-8")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
)

CASES: dict[str, tuple[bytes, str, str]] = {
    # name: (file bytes, expected code, a word the message must hold)
    "too large": (GOOD.encode() + b"#" * app_template.MAX_BYTES, "apptpl.too_large", "bytes"),
    "not utf-8": (GOOD.encode().replace(b"helper", b"help\xff"), "apptpl.not_utf8", "UTF-8"),
    "bad yaml": (_replace("name: helper", "name: [helper"), "apptpl.yaml_invalid", "line"),
    "alias bomb": (BOMB.encode(), "apptpl.yaml_alias", "alias"),
    "anchor": (_replace("name: helper", "name: &n helper"), "apptpl.yaml_alias", "anchor"),
    "python tag": (
        _replace("name: helper", "name: !!python/object/apply:os.system [ls]"),
        "apptpl.yaml_tag", "tag",
    ),
    "str tag": (_replace("name: helper", "name: !!str helper"), "apptpl.yaml_tag", "tag"),
    "too deep": (_replace("suggested_questions: [one, two]",
                          f"suggested_questions: {_nested(8)}"), "apptpl.too_deep", "deep"),
    "node flood": (
        _replace("suggested_questions: [one, two]",
                 "suggested_questions: [" + ", ".join(["q"] * 6000) + "]"),
        "apptpl.too_many_nodes", "nodes",
    ),
    "two documents": (GOOD.encode() + b"---\n" + GOOD.encode(), "apptpl.not_one_document", "2"),
    "empty": (b"", "apptpl.not_one_document", "0"),
    "a list": (b"- kura_app_template: 1\n", "apptpl.not_mapping", "mapping"),
    "duplicate key": (_replace("name: helper", "name: helper\nname: other"),
                      "apptpl.duplicate_key", "'name'"),
    "number key": (_replace("name: helper", "name: helper\n1: one"), "apptpl.key_not_text",
                   "line 3"),
    "not a template": (_replace("kura_app_template: 1", "kind: app"),
                       "apptpl.not_template", "kura_app_template"),
    "version as text": (_replace("kura_app_template: 1", "kura_app_template: '1'"),
                        "apptpl.wrong_type", "integer"),
    "newer version": (_replace("kura_app_template: 1", "kura_app_template: 2"),
                      "apptpl.version_unsupported", "update Kura"),
    "unknown key": (_replace("name: helper", "name: helper\nvisibility: all"),
                    "apptpl.unknown_keys", "visibility"),
    "unknown nested key": (_replace("  temperature: 0.5", "  temperature: 0.5\n  mirostat: 2"),
                           "apptpl.unknown_keys", "parameters: mirostat"),
    "no name": (_replace("name: helper\n", ""), "apptpl.missing_field", "name"),
    "blank name": (_replace("name: helper", "name: '  '"), "apptpl.missing_field", "name"),
    "name on two lines": (_replace("name: helper", 'name: "a\\nb"'),
                          "apptpl.name_one_line", "one line"),
    "no model": (GOOD.split("model:", maxsplit=1)[0].encode(), "apptpl.missing_field", "model"),
    "model not mapping": (_replace(f"model:\n  name: gemma\n  sha256: {SHA}", "model: gemma"),
                          "apptpl.wrong_type", "mapping"),
    "no model sha": (_replace(f"  sha256: {SHA}\n", ""), "apptpl.missing_field", "model.sha256"),
    "bad model sha": (_replace(SHA, "not-hex"), "apptpl.model_sha256_invalid", "64"),
    "name a number": (_replace("name: helper", "name: 42"), "apptpl.wrong_type", "name"),
    "instructions a list": (_replace("instructions: |\n  Help with {{topic}}.",
                                     "instructions: [a]\n"), "apptpl.wrong_type", "instructions"),
    "too long instructions": (
        _replace("  Help with {{topic}}.", "  {{topic}} " + "x" * app_template.MAX_TEXT),
        "apptpl.too_long", "instructions",
    ),
    "too long name": (_replace("name: helper", "name: " + "n" * 101), "apptpl.too_long", "name"),
    "too long icon": (_replace("name: helper", "name: helper\nicon: " + "i" * 40),
                      "apptpl.too_long", "icon"),
    "temperature text": (_replace("temperature: 0.5", "temperature: hot"),
                         "apptpl.wrong_type", "parameters.temperature"),
    "top_k a bool": (_replace("temperature: 0.5", "temperature: 0.5\n  top_k: yes"),
                     "apptpl.wrong_type", "parameters.top_k"),
    "top_k a float": (_replace("temperature: 0.5", "temperature: 0.5\n  top_k: 4.5"),
                      "apptpl.wrong_type", "parameters.top_k"),
    "temperature out of range": (_replace("temperature: 0.5", "temperature: 50"),
                                 "apptpl.parameter_invalid", "temperature"),
    "questions not a list": (_replace("suggested_questions: [one, two]",
                                      "suggested_questions: one"), "apptpl.wrong_type", "list"),
    "question a number": (_replace("[one, two]", "[one, 2]"), "apptpl.wrong_type", "questions"),
    "too many questions": (_replace("[one, two]", "[" + ", ".join(["q"] * 21) + "]"),
                           "apptpl.too_many", "20"),
    "question too long": (_replace("[one, two]", "[" + "q" * 1001 + "]"),
                          "apptpl.too_long", "suggested_questions"),
    "exhaustive text": (_replace("name: helper", "name: helper\nexhaustive: sometimes"),
                        "apptpl.wrong_type", "exhaustive"),
    "policy text": (_replace("minimise_logs: true", "minimise_logs: maybe"),
                    "apptpl.wrong_type", "personal_data.minimise_logs"),
    "variable not used": (_replace("  topic: Topic", "  topic: Topic\n  place: Where"),
                          "apptpl.variable_not_used", "place"),
    "label not text": (_replace("topic: Topic", "topic: 3"), "apptpl.wrong_type",
                       "variables.topic"),
    "label too long": (_replace("topic: Topic", "topic: " + "l" * 101),
                       "apptpl.too_long", "variables.topic"),
    "kb blank": (_replace("[Handbook]", "[Handbook, ' ']"), "apptpl.kb_name_blank", "blank"),
    "kb twice": (_replace("[Handbook]", "[Handbook, handbook]"),
                 "apptpl.kb_name_repeated", "twice"),
}  # fmt: skip


def test_the_good_template_parses() -> None:
    parsed = app_template.parse(GOOD.encode())
    assert parsed.name == "helper" and parsed.model_sha256 == SHA
    assert parsed.params.temperature == 0.5 and parsed.params.seed is None
    assert parsed.minimise_logs is True and parsed.pseudonymise is None
    assert parsed.variable_labels == (("topic", "Topic"),)
    assert parsed.knowledge_bases == ("Handbook",)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_malformed_template_is_one_line_naming_the_problem(case: str) -> None:
    data, code, word = CASES[case]
    with pytest.raises(InputError) as caught:
        app_template.parse(data)
    assert caught.value.code == code
    for language in Language:
        for surface in Surface:
            text = caught.value.render(language, surface)
            assert "\n" not in text and "{" not in re.sub(r"\{\{\w+\}\}", "", text), text
            assert text != code
    assert word in caught.value.render(), caught.value.render()


def test_malformed_templates_import_nothing(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    model = tmp_path / "gemma.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    model_id = ws.models.register(people["owner"], str(model), name="gemma").id
    ws.apps.create(people["eve"], AppConfig(name="existing", model_id=model_id))
    with ws.store.transaction() as tx:
        before = (len(tx.apps.list()), tx.audit.head())
    for data, code, _ in CASES.values():
        with pytest.raises(InputError) as caught:
            ws.app_templates.import_template(people["eve"], data, name="x", model="gemma")
        assert caught.value.code == code
    with ws.store.transaction() as tx:
        assert (len(tx.apps.list()), tx.audit.head()) == before


def test_files_are_read_capped_and_the_signature_beside_them(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(GOOD.encode())
    assert read_template(path) == (GOOD.encode(), None)
    signature_path(path).write_bytes(b"sig")
    assert read_template(path) == (GOOD.encode(), b"sig")
    signature_path(path).write_bytes(b"s" * 100_000)
    with pytest.raises(InputError) as caught:
        read_template(path)
    assert caught.value.code == "apptpl.signature_too_large"
    path.write_bytes(b"#" * (app_template.MAX_BYTES + 1))
    with pytest.raises(InputError) as caught:
        read_template(path)
    assert caught.value.code == "apptpl.too_large"
    with pytest.raises(InputError) as caught:
        read_template(tmp_path / "none.yaml")
    assert caught.value.code == "apptpl.file_missing"


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)


@settings(max_examples=150, deadline=None)
@example(  # YAML 1.1 reads NEL, LS and PS as line breaks: they are written escaped
    name="0", description="\x85", icon="", instructions="a\u2028b",
    opening="\x85", questions=["\u2029", "x\r\ny"], kbs=[], policy=None,
)  # fmt: skip
@given(
    name=_TEXT.map(lambda t: " ".join(t.split())[:100]).filter(bool),
    description=_TEXT,
    icon=st.text(max_size=4),
    instructions=_TEXT,
    opening=_TEXT,
    questions=st.lists(_TEXT, max_size=4),
    kbs=st.lists(_TEXT.map(str.strip).filter(bool), max_size=3, unique_by=str.casefold),
    policy=st.sampled_from([None, True, False]),
)
def test_any_text_survives_dump_and_parse(
    name: str,
    description: str,
    icon: str,
    instructions: str,
    opening: str,
    questions: list[str],
    kbs: list[str],
    policy: bool | None,
) -> None:
    template = app_template.AppTemplate(
        name=name,
        model_name="m: {x} # not a comment",
        model_sha256=SHA,
        description=description,
        icon=icon,
        instructions=instructions + " {{who}}",
        variable_labels=(("who", "Who?"),),
        opening_statement=opening,
        suggested_questions=tuple(questions),
        minimise_logs=policy,
        knowledge_bases=tuple(kbs),
    )
    text = app_template.dump(template)
    assert app_template.parse(text.encode("utf-8")) == template
