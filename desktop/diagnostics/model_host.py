"""The model host: does it start from this build, how was its llama.cpp built, and
what confines it?"""

from __future__ import annotations

import os
from typing import Any

from desktop import installation
from desktop.core.errors import AppError
from desktop.diagnostics.checks import Check
from desktop.diagnostics.common import StepFailed, StepOutcome


def runtime_detail(llama: dict[str, Any]) -> tuple[bool, str]:
    """Whether llama.cpp carries Kura's build record, and one line on how it runs."""
    build = llama.get("build")
    features = ", ".join(f"{name}: {' '.join(on)}" for name, on in llama["features"].items())
    seen = "; ".join(
        f"{d['type']} {d['description'] or d['name']}"
        + (f" ({d['memory_total'] / 2**30:.1f} GiB)" if d["type"] != "cpu" else "")
        for d in llama["devices"]
    )
    offload = "layers offload to the GPU" if llama["gpu_offload"] else "CPU only"
    if not isinstance(build, dict):
        return False, (
            f"llama-cpp-python {llama['version']} was not built by Kura's build step (no build "
            f"record; features in use {features}): reinstall with `make` or the Kura package"
        )
    return True, (
        f"llama.cpp {build['backend']} build, CPU baseline {build['cpu_baseline']}; "
        f"in use {features}; devices: {seen or 'none'}; {offload}"
    )


def doctor_checks() -> list[Check]:
    """Doctor: start a model host, ask how its runtime was built and what confines it."""
    try:
        host = installation.ask_model_host("doctor")
    except AppError as exc:
        return [Check("model_host", False, exc.message, {"log": exc.details})]
    info, start_seconds = host.info, host.start_seconds
    confinement = info.get("confinement", {})
    missing = [name for name, how in confinement.items() if str(how).startswith("unavailable")]
    detail = "; ".join(f"{name}: {how}" for name, how in confinement.items())
    host_check = Check(
        "model_host",
        True,
        f"started in {start_seconds:.2f} s; {detail}",
        {"confinement": confinement, "unavailable": missing, "start_seconds": start_seconds},
    )
    llama = info["llama"]
    ok, detail = runtime_detail(llama)
    runtime_check = Check(
        "inference_runtime",
        ok,
        detail,
        {
            "build": llama.get("build"),
            "features": llama["features"],
            "devices": llama["devices"],
            "gpu_offload": llama["gpu_offload"],
            "system_info": llama["system_info"],
        },
    )
    return [host_check, runtime_check]


def host_step() -> StepOutcome:
    """Self-test: the model host starts from this build, imports the model runtimes and
    says how llama.cpp was built and what confines it."""
    host = installation.ask_model_host("self-test", warm=("llama", "torch"))
    info = host.info
    llama = info["llama"]
    build = llama.get("build")
    if not isinstance(build, dict):
        raise StepFailed("the llama.cpp runtime carries no build record: rebuild Kura")
    if info["pid"] == os.getpid():
        raise StepFailed("the model host runs inside Kura's own process")
    confinement = info.get("confinement", {})
    on = [k for k, v in confinement.items() if not str(v).startswith("unavailable")]
    detail = (
        f"started in {host.start_seconds:.2f} s; llama.cpp {build['backend']} build "
        f"({build['cpu_baseline']}); confined by {', '.join(on) or 'nothing this OS offers'}"
    )
    return detail, {"build": build, "confinement": confinement, "devices": llama["devices"]}
