#!/usr/bin/env bash
# Run a command against a throwaway Secret Service: tests/with_secret_service.sh CMD ARGS...
#
# When gnome-keyring-daemon and dbus-run-session are installed, CMD runs on a private
# D-Bus session bus with its own gnome-keyring, whose "login" keyring lives in a fresh
# temporary directory and is unlocked with a random password. The user's real keyring,
# bus and keyring config are never touched. CMD sees KURA_TEST_SECRET_SERVICE=1 and
# KURA_TEST_KEYRING_PASSWORD (the throwaway password, so a test can unlock it again).
#
# Otherwise CMD runs as is, and the keyring tests skip (they fail when CI=true).
# Needs no terminal and no standard input; the temporary directory is removed at exit.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# ---- inside the private bus (re-executed by dbus-run-session below) ----------------------
if [[ "${1:-}" == "--inside-session" ]]; then
    shift
    # --unlock reads the password from stdin, creates the login keyring with it when there
    # is none, and makes it the default collection. --daemonize is implied; the daemon
    # exits with the bus.
    if ! started=$(printf '%s' "$KURA_TEST_KEYRING_PASSWORD" \
        | gnome-keyring-daemon --unlock --components=secrets); then
        echo "with_secret_service: gnome-keyring-daemon did not start" >&2
        exit 1
    fi
    while IFS= read -r line; do  # e.g. GNOME_KEYRING_CONTROL=...
        if [[ "$line" =~ ^[A-Z_]+=.*$ ]]; then
            export "${line?}"
        fi
    done <<<"$started"
    export KURA_TEST_SECRET_SERVICE=1
    # The session bus answers at once, but the daemon may still be claiming its name.
    if command -v dbus-send >/dev/null 2>&1; then
        for attempt in $(seq 50); do
            if dbus-send --session --print-reply --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
                string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
                break
            fi
            [[ $attempt -eq 50 ]] && echo "with_secret_service: the Secret Service" \
                "did not appear on the bus" >&2
            sleep 0.1
        done
    fi
    # CMD gets the display back; the keyring daemon and its prompter never had it.
    [[ -n "$_KURA_SAVED_DISPLAY" ]] && export DISPLAY="$_KURA_SAVED_DISPLAY"
    [[ -n "$_KURA_SAVED_WAYLAND" ]] && export WAYLAND_DISPLAY="$_KURA_SAVED_WAYLAND"
    unset _KURA_SAVED_DISPLAY _KURA_SAVED_WAYLAND
    exec "$@"
fi

# ---- outside: no Secret Service to start -------------------------------------------------
if ! command -v gnome-keyring-daemon >/dev/null 2>&1 \
    || ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "with_secret_service: gnome-keyring-daemon or dbus-run-session not found;" \
        "running without a Secret Service (keyring tests will skip)" >&2
    unset KURA_TEST_SECRET_SERVICE
    exec "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/kura-secret-service.XXXXXXXX")
cleanup() {
    # The daemon leaves when the bus closes; give it a moment if it is still writing.
    rm -rf -- "$scratch" 2>/dev/null || { sleep 1; rm -rf -- "$scratch"; }
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$scratch/data" "$scratch/config" "$scratch/runtime"

# Isolation: gnome-keyring keeps keyrings in $XDG_DATA_HOME/keyrings and its control
# socket in $XDG_RUNTIME_DIR/keyring; python-keyring reads $XDG_CONFIG_HOME/python_keyring.
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_RUNTIME_DIR="$scratch/runtime"
unset PYTHON_KEYRING_BACKEND GNOME_KEYRING_CONTROL DBUS_SESSION_BUS_ADDRESS
KURA_TEST_KEYRING_PASSWORD="throwaway-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export KURA_TEST_KEYRING_PASSWORD

# No display for the bus and the daemon: a test that locks the keyring must never pop up
# an unlock prompt on a developer's screen (headless, gnome-keyring reports it dismissed).
export _KURA_SAVED_DISPLAY="${DISPLAY-}" _KURA_SAVED_WAYLAND="${WAYLAND_DISPLAY-}"
unset DISPLAY WAYLAND_DISPLAY

# Not exec: the EXIT trap must run after the session ends.
status=0
dbus-run-session -- "$BASH" "$0" --inside-session "$@" || status=$?
exit "$status"
