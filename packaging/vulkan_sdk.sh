#!/usr/bin/env bash
# Print a VULKAN_SDK folder for building llama.cpp's Vulkan backend, or nothing when the
# system's own headers are new enough. `packaging/vulkan_sdk.sh OUT_DIR`
#
# llama.cpp needs Vulkan headers 1.3.275 or later (VK_EXT_layer_settings); Debian 12
# ships 1.3.239. There, the headers (libvulkan-dev, spirv-headers) of the next Debian
# release are downloaded from Debian's archive into OUT_DIR/include, with a private apt
# state (the system's sources and installed packages are not touched), and the system's
# loader and glslc are linked beside them. Headers only: nothing is installed.
set -euo pipefail
out=$(realpath -m "$1")
need=275
have=$(sed -n 's/^#define VK_HEADER_VERSION \([0-9]*\).*/\1/p' /usr/include/vulkan/vulkan_core.h 2>/dev/null || true)
if [[ -n "$have" && "$have" -ge "$need" ]]; then exit 0; fi
if [[ -f "$out/.complete" ]]; then echo "$out"; exit 0; fi
command -v apt-get >/dev/null || { echo "vulkan_sdk: Vulkan headers $need+ needed; set VULKAN_SDK" >&2; exit 2; }
glslc=$(command -v glslc) || { echo "vulkan_sdk: no glslc: install glslc (Debian: glslc)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/debs"
echo "deb http://deb.debian.org/debian trixie main" > "$tmp/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache"
          -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opts[@]}" update >&2
(cd "$tmp/debs" && apt-get "${apt_opts[@]}" download libvulkan-dev spirv-headers >&2)
sdk="$tmp/sdk"  # assembled aside, moved into place whole
mkdir -p "$sdk/lib" "$sdk/bin"
for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
cp -r "$tmp/root/usr/include" "$sdk/include"
loader=$(/sbin/ldconfig -p | sed -n 's/.*libvulkan\.so\.1 .*=> \(.*\)/\1/p' | head -1)
[[ -n "$loader" ]] || { echo "vulkan_sdk: no Vulkan loader: install libvulkan1" >&2; exit 2; }
ln -s "$loader" "$sdk/lib/libvulkan.so"
ln -s "$glslc" "$sdk/bin/glslc"
touch "$sdk/.complete"
rm -rf "$out" && mkdir -p "$(dirname "$out")" && mv "$sdk" "$out"
echo "$out"
