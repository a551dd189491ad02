"""The detector: Presidio's analyzer over GiNZA, with Kura's recognizers; loaded once in
the model host and kept warm."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

from desktop.core.pii import PiiEntity, PiiType
from desktop.core.tasks import CancelToken
from desktop.pii.numbers import LANG, number_recognizers

MODEL = "ja_ginza"
#: GiNZA's pipes that detection with its named-entity model does not need (dependency
#: parse, morphology, bunsetu): left out, they only cost time. Without the named-entity
#: model no spaCy pipeline runs at all, only SudachiPy (whose dictionary tags surnames
#: and given names; see ``SudachiTokenizer``): about 20 times faster.
_EXCLUDED_PIPES = ("parser", "morphologizer", "compound_splitter", "bunsetu_recognizer")
THRESHOLD = 0.5
#: When two findings overlap, the more specific type wins (a checked number over a phone
#: number, an address over a name inside it); then the higher score, then the longer span.
PRIORITY = (
    PiiType.EMAIL_ADDRESS,
    PiiType.MY_NUMBER,
    PiiType.CORPORATE_NUMBER,
    PiiType.CREDIT_CARD,
    PiiType.IP_ADDRESS,
    PiiType.POSTAL_CODE,
    PiiType.PHONE_NUMBER,
    PiiType.ADDRESS,
    PiiType.PERSON,
    PiiType.CUSTOM,
)


def resolve(found: Sequence[PiiEntity]) -> list[PiiEntity]:
    """Non-overlapping findings, sorted by start (see PRIORITY)."""
    rank = {t: i for i, t in enumerate(PRIORITY)}
    ordered = sorted(found, key=lambda e: (rank[e.type], -e.score, e.start - e.end, e.start))
    kept: list[PiiEntity] = []
    for entity in ordered:
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


class Token(NamedTuple):
    """What Kura's recognizers read of a word: its text, its offset (in ``str``
    characters) and SudachiPy's part-of-speech tag, whose 人名-姓 / 人名-名 mark
    surnames and given names (``desktop.pii.people``)."""

    text: str
    idx: int
    tag_: str


class SudachiTokenizer:
    """SudachiPy (split mode C over SudachiDict, as GiNZA's tokenizer runs it) cut to
    what detection reads without the named-entity model: the words as spaCy's Japanese
    tokenizer lays them out (one space after a word is its trailing space, other
    whitespace a 空白 token; ``spacy.lang.ja.get_dtokens_and_spaces``), each with its
    tag. No spaCy ``Doc`` is built: creating one and its ``Token`` objects (and
    Presidio's lemma list over them) was about half of a chat turn's detection time,
    none of it read by Kura's recognizers."""

    GAP = "空白"

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dictionary = Dictionary()
        self._sudachi = self._dictionary.tokenizer(mode=SplitMode.C, fields={"pos"})
        self._tags: dict[int, str] = {}

    def _tag(self, pos_id: int) -> str:
        tag = self._tags.get(pos_id)
        if tag is None:
            pos = self._dictionary.pos_of(pos_id) or ()
            tag = self._tags[pos_id] = "-".join(x for x in pos[:4] if x != "*")
        return tag

    def __call__(self, text: str) -> list[Token]:
        words: list[tuple[str, str]] = []
        after_space = False
        for morpheme in self._sudachi.tokenize(text):
            surface = morpheme.surface()
            if not surface:
                continue
            tag = self._tag(morpheme.part_of_speech_id())
            space = tag == self.GAP and surface.isspace()
            if space and after_space:  # a run of spaces is one word, as in spaCy's
                continue
            after_space = space
            words.append((surface, tag))
        if all(word.isspace() for word, _ in words):
            return [Token(text, 0, self.GAP)] if words else []
        tokens: list[Token] = []
        pos = 0
        for i, (word, tag) in enumerate(words):
            if word.isspace():
                continue
            start = text.index(word, pos)
            if start > pos:  # the whitespace before the word
                tokens.append(Token(text[pos:start], pos, self.GAP))
            tokens.append(Token(word, start, tag))
            pos = start + len(word)
            if i + 1 < len(words) and words[i + 1][0] == " ":  # the word's trailing space
                pos += 1
        if pos < len(text):
            tokens.append(Token(text[pos:], pos, self.GAP))
        return tokens


def _dictionary_engine() -> Any:
    """Presidio's ``NlpEngine`` over :class:`SudachiTokenizer`: the words and their tags,
    no named entities, no lemmas (Presidio's lemma context enhancer is not run)."""
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

    class DictionaryNlpEngine(NlpEngine):
        def __init__(self) -> None:
            self._tokenize: SudachiTokenizer | None = None

        def load(self) -> None:
            self._tokenize = SudachiTokenizer()

        def is_loaded(self) -> bool:
            return self._tokenize is not None

        def process_text(self, text: str, language: str) -> Any:
            assert self._tokenize is not None, "load() first"
            return NlpArtifacts(
                entities=[],
                tokens=self._tokenize(text),  # type: ignore[arg-type]
                tokens_indices=[],
                lemmas=[],
                nlp_engine=self,
                language=language,
                scores=[],
            )

        def process_batch(self, texts: Any, language: str, *_: Any, **__: Any) -> Any:
            for text in texts:
                yield text, self.process_text(str(text), language)

        def is_stopword(self, word: str, language: str) -> bool:
            return True

        def is_punct(self, word: str, language: str) -> bool:
            return True

        def get_supported_entities(self) -> list[str]:
            return []

        def get_supported_languages(self) -> list[str]:
            return [LANG]

    engine = DictionaryNlpEngine()
    engine.load()
    return engine


def _ginza_engine() -> Any:
    """Presidio's spaCy engine over GiNZA with its named-entity model, loaded from the
    installed package only: the stock ``load`` would download a model it cannot find."""
    import spacy
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    class GinzaNlpEngine(SpacyNlpEngine):
        def load(self) -> None:
            with warnings.catch_warnings():  # spaCy's ja tokenizer on SudachiPy 0.7's API
                warnings.simplefilter("ignore", DeprecationWarning)
                nlp = spacy.load(MODEL, exclude=list(_EXCLUDED_PIPES))
            self.nlp = {LANG: nlp}  # type: ignore[assignment]

        def is_stopword(self, word: str, language: str) -> bool:
            """Presidio asks this only to list the keywords that its lemma context
            enhancer reads, which Kura does not run (see ``OwnContext``): every word
            is one, so no keyword is computed (a vocabulary look-up per token)."""
            return True

    # Presidio warns for each entity of another label it keeps: only Person is used
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    config = NerModelConfiguration(
        model_to_presidio_entity_mapping={"Person": PiiType.PERSON.value},
        labels_to_ignore=[],
    )
    engine = GinzaNlpEngine(
        models=[{"lang_code": LANG, "model_name": MODEL}], ner_model_configuration=config
    )
    engine.load()
    return engine


class PresidioPiiDetector:
    """``PiiDetector`` on Presidio + GiNZA; construction loads the model (seconds).

    ``ner`` adds GiNZA's named-entity model to the dictionary's names (rarer names it
    does not list); it costs about 40 ms of CPU per 100 characters, too much for a chat
    turn, so the model host runs without it."""

    def __init__(self, *, ner: bool = False) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

        from desktop.pii.people import PersonRecognizer
        from desktop.pii.places import JapaneseAddressRecognizer

        class OwnContext(ContextAwareEnhancer):
            """Kura's recognizers read their context words themselves (a window of
            characters, which suits Japanese rather than Presidio's lemma windows), so
            Presidio's lemma enhancer is not run (a few percent of the CPU time)."""

            def enhance_using_context(self, text: str, raw_results: Any, *_: Any, **__: Any) -> Any:
                return raw_results

        registry = RecognizerRegistry(supported_languages=[LANG])
        for recognizer in (*number_recognizers(), JapaneseAddressRecognizer(), PersonRecognizer()):
            registry.add_recognizer(recognizer)
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=_ginza_engine() if ner else _dictionary_engine(),
            supported_languages=[LANG],
            context_aware_enhancer=OwnContext(0, 0, 0, 0),
        )

    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        out = []
        for text in texts:
            if cancel is not None:
                cancel.raise_if_cancelled()
            out.append(self.detect_one(text))
        return out

    def detect_one(self, text: str) -> list[PiiEntity]:
        if not text.strip():
            return []
        results = self._analyzer.analyze(text, language=LANG, score_threshold=THRESHOLD)
        return resolve(
            [
                PiiEntity(
                    PiiType(r.entity_type),
                    r.start,
                    r.end,
                    text[r.start : r.end],
                    round(float(r.score), 3),
                )
                for r in results
                if r.entity_type in PiiType.__members__
            ]
        )
