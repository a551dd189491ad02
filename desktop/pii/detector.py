"""The detector: Presidio's analyzer over GiNZA, with Kura's recognizers; loaded once in
the model host and kept warm."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import Any

from desktop.core.pii import PiiEntity, PiiType
from desktop.core.tasks import CancelToken
from desktop.pii.numbers import LANG, number_recognizers

MODEL = "ja_ginza"
#: GiNZA's pipes that detection does not need (dependency parse, morphology, bunsetu):
#: left out, they only cost time. Without the named-entity model only GiNZA's tokenizer
#: (SudachiPy, whose dictionary tags surnames and given names) runs: about 20 times faster.
_EXCLUDED_PIPES = ("parser", "morphologizer", "compound_splitter", "bunsetu_recognizer")
_NER_PIPES = ("tok2vec", "ner")
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


class LeanTokenizer:
    """spaCy's Japanese tokenizer cut to what detection reads without the NER model: the
    words, their spacing and SudachiPy's part-of-speech tag (which carries the surname /
    given-name tags). spaCy's own also sets lemma, norm, reading, inflection, a coarse
    part of speech and split-mode sub-tokens on every token: about 70 % of a turn's
    detection time, none of it read by Kura's recognizers (Presidio's context enhancer,
    which reads lemmas, is not run)."""

    def __init__(self, inner: Any) -> None:
        self.vocab, self._sudachi = inner.vocab, inner.tokenizer

    def __call__(self, text: str) -> Any:
        from spacy.lang.ja import DetailedToken, get_dtokens_and_spaces
        from spacy.tokens import Doc

        dtokens, after_space = [], False
        for morpheme in self._sudachi.tokenize(text):
            surface = morpheme.surface()
            if not surface:
                continue
            tag = "-".join(x for x in morpheme.part_of_speech()[:4] if x != "*")
            space = tag == "空白" and surface.isspace()
            if space and after_space:  # a run of spaces is one token, as in spaCy's
                continue
            after_space = space
            dtokens.append(DetailedToken(surface, tag, "", "", "", "", None))
        dtokens, spaces = get_dtokens_and_spaces(dtokens, text)  # type: ignore[no-untyped-call]
        return Doc(
            self.vocab,
            words=[t.surface for t in dtokens],
            spaces=spaces,
            tags=[t.tag for t in dtokens],
        )


def _nlp_engine(ner: bool) -> Any:
    """Presidio's spaCy engine over GiNZA, loaded from the installed package only: the
    stock ``load`` would download a model it cannot find."""
    import spacy
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    excluded = list(_EXCLUDED_PIPES) + ([] if ner else list(_NER_PIPES))

    class GinzaNlpEngine(SpacyNlpEngine):
        def load(self) -> None:
            with warnings.catch_warnings():  # spaCy's ja tokenizer on SudachiPy 0.7's API
                warnings.simplefilter("ignore", DeprecationWarning)
                nlp = spacy.load(MODEL, exclude=excluded)
            if not ner:
                nlp.tokenizer = LeanTokenizer(nlp.tokenizer)
            self.nlp = {LANG: nlp}  # type: ignore[assignment]

        def is_stopword(self, word: str, language: str) -> bool:
            """Presidio asks this only to list the keywords that its lemma context
            enhancer reads, which Kura does not run (see ``OwnContext``): every word
            is one, so no keyword is computed (a vocabulary look-up per token, about
            40 % of the CPU time of a turn's detection)."""
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
            nlp_engine=_nlp_engine(ner),
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
