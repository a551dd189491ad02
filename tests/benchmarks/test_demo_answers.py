"""Does the bundled demo model answer sensibly from a retrieved passage?

Ten short factual questions, each asked the way Kura's chat asks it: the app's
instructions and the passage (numbered, as :func:`citation_block` gives retrieved
passages) are the system text, fitted with :func:`fit_context` and rendered by the real
llama-cpp-python adapter. An answer scores when it contains the expected fact and ended
by itself (an answer cut off at ``max_tokens`` is a ramble that may mention anything). The
score and every answer are printed; the goal is at least 7 of 10.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.chat_models import LoadSettings, SamplingParams
from desktop.core.knowledge_models import SearchHit, StoredChunk
from desktop.core.prompting import fit_context
from desktop.core.services.retrieval import citation_block
from desktop.core.tasks import CancelToken
from desktop.inference.gguf import GgufModelInspector
from desktop.inference.llama import LlamaCppChatModel

INSTRUCTIONS = "You are a helpful assistant. Answer the question briefly."
SEEDS = (1,)

# (passage, question, the fact the answer must contain, lower-cased)
CASES = (
    (
        "Staff may work remotely up to two days a week, with their manager's approval. "
        "Remote days must be recorded in the attendance system.",
        "How many days a week may staff work remotely?",
        "two",
    ),
    (
        "The Aldermoor lighthouse was built in 1874 by the engineer Thomas Reed. It stands "
        "41 metres tall on the northern cape.",
        "Who built the Aldermoor lighthouse?",
        "thomas reed",
    ),
    (
        "Expense claims must be submitted within 30 days of the purchase. Claims submitted "
        "later are refused unless the finance director agrees.",
        "Within how many days must expense claims be submitted?",
        "30",
    ),
    (
        "The office cafeteria opens at 7:30 in the morning and closes at 3 in the afternoon. "
        "It is closed on public holidays.",
        "What time does the cafeteria open?",
        "7:30",
    ),
    (
        "Project Falcon is led by Maria Ito. The project builds a new billing system and is "
        "due to finish in March.",
        "Who leads Project Falcon?",
        "maria ito",
    ),
    (
        "New laptops are ordered through the IT help desk. Delivery usually takes five "
        "working days.",
        "Where are new laptops ordered?",
        "help desk",
    ),
    (
        "The river Senna flows through the town of Belford and into Lake Aster. It is 112 "
        "kilometres long.",
        "Into which lake does the river Senna flow?",
        "aster",
    ),
    (
        "Visitors must wear a yellow badge at all times inside the factory. Badges are "
        "handed out at the main gate.",
        "What colour badge must visitors wear?",
        "yellow",
    ),
    (
        "The annual company meeting takes place in Osaka this year, on the 14th of November.",
        "In which city does the annual company meeting take place?",
        "osaka",
    ),
    (
        "Passwords must be at least 12 characters long and are changed every 180 days.",
        "How long must a password be at least?",
        "12",
    ),
)


def _hit(n: int, text: str) -> SearchHit:
    chunk = StoredChunk(
        id=n,
        kb_id=1,
        document="handbook.md",
        version=1,
        index=n,
        start=0,
        end=len(text),
        text=text,
    )
    return SearchHit(chunk=chunk, score=1.0, scores={})


def _ask(model: LlamaCppChatModel, params: SamplingParams, passage: str, question: str) -> str:
    system = f"{INSTRUCTIONS}\n\n{citation_block([_hit(0, passage)])}".strip()
    fitted = fit_context(
        model, system, (), question, n_ctx=model.context_length(), max_tokens=params.max_tokens
    )
    generation = model.generate(fitted.prompt, params, CancelToken())
    answer = "".join(generation)
    return f"{answer} [{generation.stop_reason}, {generation.completion_tokens} tokens]"


def test_demo_model_answers_from_the_passage(demo_model_path: Path) -> None:
    info = GgufModelInspector().inspect(str(demo_model_path))
    model = LlamaCppChatModel()
    model.load(str(demo_model_path), "demo", LoadSettings(n_ctx=2048), info)
    lines, scores = [], []
    try:
        for seed in SEEDS:
            params = SamplingParams(seed=seed)  # the defaults an app starts with
            score = 0
            for passage, question, fact in CASES:
                answer = _ask(model, params, passage, question)
                ok = fact in answer.lower() and "[length," not in answer
                score += ok
                lines.append(f"  seed {seed} {'ok ' if ok else 'BAD'} {question!r} -> {answer!r}")
            scores.append(score)
    finally:
        model.close()
    print(
        f"\ndemo model, {len(CASES)} questions with their passage, default sampling "
        f"{SamplingParams().as_dict()}: scores per seed {scores} of {len(CASES)} "
        f"(goal >= 7)\n" + "\n".join(lines)
    )
