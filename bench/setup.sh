#!/usr/bin/env bash
# Installs the benchmark's comparison tools from Debian's packages, and dotnet-trace (NuGet) for
# B5's profile of the pwsh host, if missing. Never on the test path.
set -euo pipefail
cd "$(dirname "$0")/.."
trace_dir=.tools/bench
if [ ! -x "$trace_dir/dotnet-trace" ]; then
  echo "bench: installing dotnet-trace into $trace_dir" >&2
  dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$trace_dir" >/dev/null
fi
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
