"""Build and install llama-cpp-python with flags chosen by this file, never by the machine.

llama.cpp's own default (``GGML_NATIVE=ON``) compiles for the CPU that happens to run the
build: a package made on an AVX-512 machine dies with SIGILL on an older laptop, and one
made on an Intel AMX machine takes the AMX kernels, which crash (SIGSEGV in
``ggml_backend_amx_mul_mat``, llama.cpp issue 20824). Here the CPU baseline is fixed per
architecture and the GPU backend is chosen explicitly:

    KURA_GPU=cpu|cuda|vulkan|metal|auto   (default auto)

``auto`` builds CUDA when ``nvcc`` and an NVIDIA GPU are both present, Vulkan when
``glslc``, the Vulkan headers and a GPU render node are present, Metal on Apple silicon,
and the CPU runtime otherwise. A toolkit without a device is not enough: a CI runner with
the CUDA toolkit and no GPU would otherwise spend an hour building kernels it cannot run.

The wheel is built with ``pip wheel --no-cache-dir`` (pip's wheel cache is keyed by the
source, not the flags, and would hand back a wheel built with others), stored under
``build/llama/<key>/`` where the key hashes every flag, and carries its own build record
``llama_cpp/kura_build.json``, which ``kura doctor`` prints. ``ensure`` is cheap when the
installed record already has the wanted key. Standard library only.

    python packaging/llama_runtime.py ensure --python .venv/bin/python
    python packaging/llama_runtime.py describe [--backend vulkan]
    python packaging/llama_runtime.py install --python P --backend vulkan --target DIR
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"
BUILD_CONSTRAINTS = ROOT / "packaging" / "build-constraints.txt"
VULKAN_SDK_SCRIPT = ROOT / "packaging" / "vulkan_sdk.sh"
#: VK_HEADER_VERSION this llama.cpp needs (VK_EXT_layer_settings); Debian 12 has 239.
VULKAN_HEADERS_NEEDED = 275
WHEELS = ROOT / "build" / "llama"
RECORD_NAME = "kura_build.json"
BACKENDS = ("cpu", "cuda", "vulkan", "metal")
# Bump when the recipe changes in a way the flags below do not show.
RECIPE = 1

# Shared by every build: no -march=native, no ccache, no multimodal library (Kura is
# text only), no tests, examples or tools.
COMMON = [
    "-DGGML_NATIVE=OFF",
    "-DGGML_CCACHE=OFF",
    "-DLLAVA_BUILD=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_TOOLS=OFF",
    "-DLLAMA_BUILD_SERVER=OFF",
]
# x86-64-v3: AVX2, FMA, F16C, BMI2 (Haswell, 2013, and every later x86-64 laptop CPU).
# AVX-512 and AMX stay off: not on most laptops, and AMX crashes llama.cpp today.
X86_64_V3 = [
    "-DGGML_SSE42=ON",
    "-DGGML_AVX=ON",
    "-DGGML_AVX2=ON",
    "-DGGML_BMI2=ON",
    "-DGGML_FMA=ON",
    "-DGGML_F16C=ON",
    "-DGGML_AVX_VNNI=OFF",
    "-DGGML_AVX512=OFF",
    "-DGGML_AVX512_VBMI=OFF",
    "-DGGML_AVX512_VNNI=OFF",
    "-DGGML_AVX512_BF16=OFF",
    "-DGGML_AMX_TILE=OFF",
    "-DGGML_AMX_INT8=OFF",
    "-DGGML_AMX_BF16=OFF",
]
CPU_BASELINES = {
    "x86_64": ("x86-64-v3 (SSE4.2, AVX, AVX2, FMA, F16C, BMI2; no AVX-512, no AMX)", X86_64_V3),
    # ARMv8.2-A: every 64-bit ARM laptop and server core since 2017 (Cortex-A75+,
    # Graviton 2+, Snapdragon X, Apple M1+).
    "aarch64": ("armv8.2-a", ["-DGGML_CPU_ARM_ARCH=armv8.2-a"]),
    "arm64": (
        "armv8.2-a+dotprod+fp16 (Apple M1 and later)",
        ["-DGGML_CPU_ARM_ARCH=armv8.2-a+dotprod+fp16"],
    ),
}
# CUDA: real code for Volta to Hopper plus PTX for newer cards, never "native".
CUDA_ARCHS = "70-real;75-real;80-real;86-real;89-real;90-real;90-virtual"
GPU_FLAGS = {
    "cpu": [],
    "cuda": ["-DGGML_CUDA=ON"],
    "vulkan": ["-DGGML_VULKAN=ON"],
    "metal": ["-DGGML_METAL=ON", "-DGGML_METAL_EMBED_LIBRARY=ON"],
}


class BuildError(Exception):
    """A one-line reason the runtime could not be built."""


def pinned_version() -> str:
    """llama-cpp-python's version, from the lock file (one place for every pin)."""
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower().replace("_", "-") == "llama-cpp-python":
            return version.strip()
    raise BuildError(f"{CONSTRAINTS.name} pins no llama-cpp-python version")


def _machine() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64"}.get(m, m)


def _nvidia_gpu_present() -> bool:
    gpus = Path("/proc/driver/nvidia/gpus")
    if gpus.is_dir() and any(gpus.iterdir()):
        return True
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    out = subprocess.run([smi, "-L"], capture_output=True, text=True, check=False)
    return out.returncode == 0 and "GPU" in out.stdout


def _vulkan_toolkit() -> bool:
    headers = any(
        Path(p, "vulkan", "vulkan.h").is_file() for p in ("/usr/include", "/usr/local/include")
    )
    return bool(shutil.which("glslc")) and (headers or bool(os.environ.get("VULKAN_SDK")))


def _nvcc() -> str | None:
    found = shutil.which("nvcc")
    if found:
        return found
    home = os.environ.get("CUDA_HOME") or os.environ.get("CUDA_PATH")
    if home and Path(home, "bin", "nvcc").is_file():
        return str(Path(home, "bin", "nvcc"))
    return None


def detect_backend() -> tuple[str, str]:
    """The backend ``auto`` picks here, and why (printed by the Makefile)."""
    if sys.platform == "darwin":
        if _machine() == "arm64":
            return "metal", "Apple silicon"
        return "cpu", "Intel Mac"
    if _nvcc():
        if _nvidia_gpu_present():
            return "cuda", "nvcc and an NVIDIA GPU"
        note = "nvcc found but no NVIDIA GPU (KURA_GPU=cuda builds it anyway)"
    else:
        note = "no GPU toolkit"
    if _vulkan_toolkit():
        if list(Path("/dev/dri").glob("renderD*")) if Path("/dev/dri").is_dir() else []:
            return "vulkan", "glslc, the Vulkan headers and a GPU render node"
        note = "glslc found but no GPU render node (KURA_GPU=vulkan builds it anyway)"
    return "cpu", note


def _header_version() -> int | None:
    """VK_HEADER_VERSION of the headers CMake will find ($VULKAN_SDK first)."""
    roots = [Path(os.environ["VULKAN_SDK"], "include")] if os.environ.get("VULKAN_SDK") else []
    roots += [Path("/usr/include"), Path("/usr/local/include")]
    for root in roots:
        header = root / "vulkan" / "vulkan_core.h"
        if header.is_file():
            for line in header.read_text(errors="replace").splitlines():
                if line.startswith("#define VK_HEADER_VERSION "):
                    return int(line.split()[-1])
    return None


def _vulkan_headers() -> str:
    """The Vulkan headers' version; when the system's are too old (Debian 12), newer ones
    are fetched into build/vulkan-sdk (packaging/vulkan_sdk.sh) and VULKAN_SDK set."""
    version = _header_version()
    if (version is None or version < VULKAN_HEADERS_NEEDED) and not os.environ.get("VULKAN_SDK"):
        out = subprocess.run(
            ["bash", str(VULKAN_SDK_SCRIPT), str(ROOT / "build" / "vulkan-sdk")],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            os.environ["VULKAN_SDK"] = out.stdout.strip()
            version = _header_version()
    if version is None:
        raise BuildError("no Vulkan headers found: install libvulkan-dev or set VULKAN_SDK")
    if version < VULKAN_HEADERS_NEEDED:
        raise BuildError(
            f"the Vulkan headers are too old (VK_HEADER_VERSION {version}, llama.cpp needs "
            f"{VULKAN_HEADERS_NEEDED}): set VULKAN_SDK to a newer Vulkan SDK"
        )
    return f"VK_HEADER_VERSION {version}"


def _python_tag(python: str | None) -> str:
    """cpXY of the interpreter the runtime is built for."""
    if python is None:
        return f"cp{sys.version_info[0]}{sys.version_info[1]}"
    out = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
        capture_output=True,
        text=True,
        check=False,
    )
    major, _, minor = out.stdout.strip().partition(" ")
    if out.returncode != 0 or not minor:
        raise BuildError(f"cannot run {python}: check the --python path")
    return f"cp{major}{minor}"


def build_config(backend: str, python: str | None = None) -> dict[str, object]:
    """Everything that decides the build; its hash names the wheel's folder."""
    if backend not in BACKENDS:
        raise BuildError(f"KURA_GPU={backend!r} is not one of auto, {', '.join(BACKENDS)}")
    machine = _machine()
    if machine not in CPU_BASELINES:
        raise BuildError(f"no CPU baseline is defined for {machine}; add one to {__file__}")
    if backend == "metal" and sys.platform != "darwin":
        raise BuildError("KURA_GPU=metal builds only on macOS")
    baseline, cpu_flags = CPU_BASELINES[machine]
    args = [*COMMON, *cpu_flags, *GPU_FLAGS[backend]]
    if backend == "cuda":
        archs = os.environ.get("KURA_CUDA_ARCHS", CUDA_ARCHS)
        if "native" in archs:
            raise BuildError("KURA_CUDA_ARCHS may not be 'native': name the architectures")
        args.append(f"-DCMAKE_CUDA_ARCHITECTURES={archs}")
    if sys.platform == "darwin":
        args.append(f"-DCMAKE_OSX_ARCHITECTURES={machine}")
    extra: dict[str, object] = {}
    if backend == "vulkan":
        # llama.cpp needs newer headers than some distributions ship (Debian 12 has
        # 1.3.239; this llama.cpp uses VK_EXT_layer_settings): VULKAN_SDK may name a
        # folder with include/, lib/ and bin/glslc, which CMake's FindVulkan prefers.
        extra["vulkan_headers"] = _vulkan_headers()
    config: dict[str, object] = {
        "package": "llama-cpp-python",
        "version": pinned_version(),
        "backend": backend,
        "cpu_baseline": baseline,
        "machine": machine,
        "platform": sys.platform,
        "python": _python_tag(python),
        "cmake_args": args,
        "recipe": RECIPE,
        **extra,
    }
    blob = json.dumps(config, sort_keys=True).encode()
    config["key"] = hashlib.sha256(blob).hexdigest()[:16]
    return config


def _installed_record(python: str, target: Path | None) -> dict[str, object] | None:
    code = (
        "import importlib.util, json, pathlib, sys\n"
        "s = importlib.util.find_spec('llama_cpp')\n"
        "p = s and pathlib.Path(list(s.submodule_search_locations)[0], sys.argv[1])\n"
        "print(p.read_text() if p and p.is_file() else 'null')\n"
    )
    env = dict(os.environ)
    if target is not None:
        env["PYTHONPATH"] = str(target)
    out = subprocess.run(
        [python, "-c", code, RECORD_NAME], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        return None
    try:
        record = json.loads(out.stdout)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _add_record(wheel: Path, record: dict[str, object]) -> None:
    """Write ``llama_cpp/kura_build.json`` into the wheel and its RECORD."""
    data = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    tmp = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.endswith(".dist-info/RECORD"):
                rows = list(csv.reader(io.StringIO(body.decode())))
                rows.insert(-1, [f"llama_cpp/{RECORD_NAME}", f"sha256={digest}", str(len(data))])
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerows(rows)
                body = buf.getvalue().encode()
            dst.writestr(item, body)
        dst.writestr(f"llama_cpp/{RECORD_NAME}", data)
    tmp.replace(wheel)


def build_wheel(python: str, config: dict[str, object]) -> Path:
    """The wheel for ``config``: built once, then reused from build/llama/<key>/."""
    folder = WHEELS / str(config["key"])
    found = sorted(folder.glob("llama_cpp_python-*.whl"))
    if found:
        return found[0]
    folder.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CMAKE_ARGS"] = " ".join(str(a) for a in config["cmake_args"])  # type: ignore[attr-defined]
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = str(os.cpu_count() or 2)
    env["PIP_CONSTRAINT"] = str(BUILD_CONSTRAINTS)  # the isolated build environment's tools
    env.pop("FORCE_CMAKE", None)
    spec = f"llama-cpp-python=={config['version']}"
    print(
        f"llama_runtime: building {spec} ({config['backend']}, {config['cpu_baseline']}); "
        "this takes several minutes",
        file=sys.stderr,
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="kura-llama-build-") as tmp:
        cmd = [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-cache-dir",
            "--no-deps",
            "--no-binary",
            "llama-cpp-python",
            "-w",
            tmp,
            spec,
        ]
        if subprocess.run(cmd, env=env, check=False).returncode != 0:
            raise BuildError(f"building {spec} failed (see the compiler output above)")
        built = sorted(Path(tmp).glob("llama_cpp_python-*.whl"))
        if not built:
            raise BuildError(f"pip wheel produced no wheel for {spec}")
        _add_record(built[0], config)
        folder.mkdir(exist_ok=True)
        final = folder / built[0].name
        shutil.move(str(built[0]), final)
    return final


def ensure(python: str, backend: str, target: Path | None = None) -> dict[str, object]:
    """Install the runtime for ``backend`` into ``python``'s environment (or ``target``)."""
    config = build_config(backend, python)
    record = _installed_record(python, target)
    if record and record.get("key") == config["key"]:
        return config
    wheel = build_wheel(python, config)
    cmd = [
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--force-reinstall",
        "--no-cache-dir",
    ]
    if target is not None:
        shutil.rmtree(target, ignore_errors=True)
        cmd += ["--target", str(target)]
    if subprocess.run([*cmd, str(wheel)], check=False).returncode != 0:
        raise BuildError(f"installing {wheel.name} failed")
    return config


def _backend_arg(value: str | None) -> tuple[str, str]:
    chosen = (value or os.environ.get("KURA_GPU") or "auto").strip().lower()
    if chosen == "auto":
        return detect_backend()
    return chosen, "KURA_GPU" if not value else "--backend"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("ensure", "describe", "install"):
        p = sub.add_parser(name)
        p.add_argument("--backend", help="cpu, cuda, vulkan, metal or auto (default: $KURA_GPU)")
        if name != "describe":
            p.add_argument("--python", required=True, help="the interpreter to install into")
        if name == "install":
            p.add_argument(
                "--target",
                type=Path,
                required=True,
                help="install into this folder (put it first on PYTHONPATH)",
            )
    args = parser.parse_args(argv)
    try:
        backend, why = _backend_arg(args.backend)
        if args.command == "describe":
            config = build_config(backend)
            print(json.dumps({**config, "why": why}, indent=2))
            return 0
        config = ensure(args.python, backend, getattr(args, "target", None))
    except BuildError as exc:
        print(f"llama_runtime: {exc}", file=sys.stderr)
        return 2
    print(
        f"llama_runtime: llama-cpp-python {config['version']} {backend} ({why}), "
        f"CPU {config['cpu_baseline']}, key {config['key']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
