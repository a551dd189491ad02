"""Chat streaming: the full service path vs raw llama-cpp-python, side by side.

The service runs the model in its model host process; raw llama-cpp-python loads the
same file in this process with the same settings. Both get the same messages and
sampling parameters, alternating A/B, each round a new question (so prompt-prefix reuse
in the KV cache is the same on both sides). Service TTFT is measured from the
``ChatService.send`` call (plan, model file check, context fitting, the pending-turn
commit, prompt evaluation) to the first piece;
raw TTFT from the ``create_chat_completion`` call to its first content chunk.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from desktop import app
from desktop.core.chat_models import AppConfig, LoadSettings, SamplingParams
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore

PW = "a long enough passphrase"
SYSTEM = "You are a helpful assistant. Answer in plain prose."
QUESTION = "Write a short story about a lighthouse keeper and a storm."
PARAMS = SamplingParams(
    temperature=0.0, top_p=0.95, top_k=40, max_tokens=128, repeat_penalty=1.1, seed=42
)
ROUNDS = 5


def _raw_messages(question: str) -> list[dict[str, str]]:
    """The messages Kura renders, after folding the system prompt as it does for Gemma."""
    from desktop.core.chat_models import ChatMessage
    from desktop.inference.template import fold_system

    folded = fold_system([ChatMessage("system", SYSTEM), ChatMessage("user", question)])
    return [{"role": m.role, "content": m.content} for m in folded]


def _decode_rate(stamps: list[float]) -> float:
    """Pieces per second after the first piece (the decode phase)."""
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0


def _service_run(ws: app.Workspace, owner: Any, question: str) -> tuple[float, float, int]:
    stamps: list[float] = []
    start = time.perf_counter()
    result = ws.chat.send(
        owner, "bench", question, on_piece=lambda _: stamps.append(time.perf_counter())
    )
    return stamps[0] - start, _decode_rate(stamps), result.turn.usage["completion_tokens"]


def _same_template(llm: Any, info: Any) -> list[str]:
    """Give raw llama-cpp-python the chat template Kura renders with (this GGUF has none,
    and llama-cpp-python would fall back to llama-2 formatting)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from desktop.inference.template import choose_template

    choice = choose_template(info)
    llm.chat_handler = Jinja2ChatFormatter(
        template=choice.source, eos_token=info.eos_token or "", bos_token=info.bos_token or ""
    ).to_chat_handler()
    return list(choice.stops)


def _raw_run(llm: Any, question: str) -> tuple[float, float, int]:
    stamps: list[float] = []
    start = time.perf_counter()
    stream = llm.create_chat_completion(
        messages=_raw_messages(question),
        stream=True,
        temperature=PARAMS.temperature,
        top_p=PARAMS.top_p,
        top_k=PARAMS.top_k,
        max_tokens=PARAMS.max_tokens,
        repeat_penalty=PARAMS.repeat_penalty,
        seed=PARAMS.seed,
    )
    for chunk in stream:
        if chunk["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
    return stamps[0] - start, _decode_rate(stamps), len(stamps)


def _raw_llama(path: Path) -> Any:
    import llama_cpp

    from desktop.inference.llama import physical_cores

    threads = physical_cores()
    return llama_cpp.Llama(
        model_path=str(path),
        n_ctx=2048,
        n_batch=512,
        n_threads=threads,
        n_threads_batch=threads,
        n_gpu_layers=0,
        verbose=False,
    )


def test_service_streaming_vs_raw_llama(tmp_path: Path, demo_model_path: Path) -> None:
    keys = MemoryKeyStore()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=fast)
    engines = app.Engines.local()
    with app.open_workspace(tmp_path / "w", key_store=keys, hasher=fast, engines=engines) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        model = ws.models.register(
            owner, str(demo_model_path), name="demo", settings=LoadSettings(n_ctx=2048)
        )
        ws.apps.create(
            owner, AppConfig(name="bench", model_id=model.id, instructions=SYSTEM, params=PARAMS)
        )
        ws.chat.send(owner, "bench", "warm up")  # loads the model in the host once
        llm = _raw_llama(demo_model_path)
        _same_template(llm, model.info)
        _raw_run(llm, "warm up")
        ours, raw = [], []
        for n in range(ROUNDS):
            question = f"{QUESTION} Version {n}."
            ours.append(_service_run(ws, owner, question))
            raw.append(_raw_run(llm, question))
        breakdown = _breakdown(ws, engines)
        engines.close()
        llm.close()
    ttft_ours = statistics.median(r[0] for r in ours)
    ttft_raw = statistics.median(r[0] for r in raw)
    rate_ours = statistics.median(r[1] for r in ours)
    rate_raw = statistics.median(r[1] for r in raw)
    print(
        f"\nchat streaming, service through the model host vs raw llama-cpp-python in "
        f"process, demo model, {ROUNDS} alternating rounds (median): "
        f"decode {rate_ours:.1f} vs {rate_raw:.1f} pieces/s -> ratio {rate_ours / rate_raw:.3f} "
        f"(goal >= 0.97); TTFT {ttft_ours * 1e3:.1f} vs {ttft_raw * 1e3:.1f} ms -> overhead "
        f"{(ttft_ours - ttft_raw) * 1e3:+.1f} ms (goal <= 30 ms); tokens "
        f"{[r[2] for r in ours]} vs {[r[2] for r in raw]}\n  where TTFT overhead goes "
        f"(median of 20 each): {breakdown}"
    )


def _breakdown(ws: app.Workspace, engines: app.Engines) -> str:
    """Time the steps the service adds before the first token, one by one."""
    from desktop.core.chat_models import ChatMessage

    model = engines.chat_model
    messages = [ChatMessage("system", SYSTEM), ChatMessage("user", QUESTION)]

    def commit() -> None:
        with ws.store.transaction() as tx:
            tx.settings.set("bench", str(time.perf_counter()))

    def read_plan() -> None:
        with ws.store.transaction() as tx:
            tx.apps.get_by_name("bench")
            tx.models.list()

    steps = {
        "a read transaction (plan)": read_plan,
        "a write commit (pending turn, fsync)": commit,
        "render + tokenize the prompt": lambda: model.count_tokens(model.render(messages)),
    }
    out = []
    for label, step in steps.items():
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            step()
            samples.append(time.perf_counter() - start)
        out.append(f"{label} {statistics.median(samples) * 1e3:.2f} ms")
    return "; ".join(out)
