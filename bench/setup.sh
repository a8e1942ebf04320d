#!/usr/bin/env bash
# Builds the standalone scripts contender (b) runs, and installs the benchmark's comparison tools, if missing: Miller and csvkit from Debian's packages,
# DuckDB from npm (B3), dotnet-trace from NuGet (B5's profile of the pwsh host). Never on the test path.
set -euo pipefail
cd "$(dirname "$0")/.."
trace_dir=.tools/bench
if [ ! -x "$trace_dir/dotnet-trace" ]; then
  echo "bench: installing dotnet-trace into $trace_dir" >&2
  dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$trace_dir" >/dev/null
fi
duckdb_dir=.tools/bench/duckdb
if [ ! -d "$duckdb_dir/node_modules/@duckdb/node-api" ]; then
  echo "bench: installing DuckDB (@duckdb/node-api) into $duckdb_dir" >&2
  mkdir -p "$duckdb_dir"
  [ -f "$duckdb_dir/package.json" ] || echo '{ "private": true }' > "$duckdb_dir/package.json"
  npm install --prefix "$duckdb_dir" --no-audit --no-fund --silent @duckdb/node-api@1.5.6-r.1 >/dev/null
fi
# contender (b), the generated standalone script: built, not committed (bench/.work is cleared by each run)
node bin/dap-gen.js --scripts module/scripts >/dev/null
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
