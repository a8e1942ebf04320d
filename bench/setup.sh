#!/usr/bin/env bash
# Installs the benchmark's comparison tools from Debian's packages, if missing. Never on the test path.
set -euo pipefail
missing=()
command -v mlr >/dev/null || missing+=(miller)
command -v csvstack >/dev/null || missing+=(csvkit)
[ -x /usr/bin/time ] || missing+=(time)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "bench: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
