#!/usr/bin/env bash
# `make gpu-check [GPU_CHECK=vulkan|cuda]`: build llama-cpp-python for a GPU backend into
# its own folder (build/llama-runtime/BACKEND, the CPU build in .venv stays as it is) and
# prove the offload path: the model host on that runtime offloads every layer of the demo
# model and answers, and `kura doctor` reports the device (tests/integration/
# test_gpu_offload.py). Without a GPU, Vulkan runs on Mesa's lavapipe (the CPU Vulkan
# driver, Debian mesa-vulkan-drivers).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-vulkan}
PY=${PY:-.venv/bin/python}
target=build/llama-runtime/$backend
if [[ "$backend" == vulkan && -z "${GGML_VK_VISIBLE_DEVICES:-}" ]] \
        && ! compgen -G "/dev/dri/renderD*" >/dev/null; then
    # No GPU: llama.cpp skips CPU-type Vulkan devices unless named, so name lavapipe.
    export GGML_VK_VISIBLE_DEVICES=0
fi
started=$SECONDS
"$PY" packaging/llama_runtime.py install --backend "$backend" --python "$PY" --target "$target"
echo "gpu-check: $backend runtime ready in $((SECONDS - started)) s" >&2
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
KURA_TEST_LLAMA_RUNTIME=$PWD/$target KURA_TEST_GPU_BACKEND=$backend \
    "$PY" -m pytest -p no:cacheprovider -q -rs -s tests/integration/test_gpu_offload.py \
    | tee "$report" || status=$?
[[ $status -eq 0 ]] || exit "$status"
# a skipped check proves nothing (the demo model missing, say): that is a failure here
if grep -q -E "[0-9]+ skipped" "$report"; then
    echo "gpu-check: a check was skipped, so the $backend path is not proven" >&2
    exit 1
fi
