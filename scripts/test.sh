#!/usr/bin/env bash
# Sets up if needed, then runs the linters, the type checker and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
bash scripts/setup.sh
# The HTML report tests render in a real headless browser: Debian's Chromium.
if ! command -v chromium >/dev/null 2>&1; then
  if [[ "$(id -u)" == "0" ]]; then
    echo "[test] installing Debian's chromium for the report tests..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "[test] chromium is missing: sudo apt-get install chromium" >&2
  fi
fi
# The audit's Spark tests run pyspark in local mode: a Java runtime (Debian's OpenJDK 17).
if ! command -v java >/dev/null 2>&1; then
  if [[ "$(id -u)" == "0" ]]; then
    echo "[test] installing Debian's OpenJDK for the Spark tests..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "[test] java is missing: sudo apt-get install openjdk-17-jre-headless" >&2
  fi
fi
# pyspark for the Spark tests, and llama.cpp's server for the OpenAI-compatible server test
if ! .venv/bin/python -c "import pyspark, uvicorn, fastapi, sse_starlette, starlette_context" >/dev/null 2>&1; then
  echo "[test] installing pyspark and llama.cpp's server requirements (once)..." >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,spark,server]"
fi
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
# The default suite: pyproject.toml's addopts leave the `engines` tier out (a Spark JVM,
# llama.cpp's server, the embedded model's whole-suite runs); `-m engines` runs that tier.
# Two worker processes, one per core (BACKBONE_TEST_WORKERS=0 runs in this process); each takes
# whole test files, so a file's module-wide fixtures (a Spark session, a model server) start once.
exec .venv/bin/pytest -n "${BACKBONE_TEST_WORKERS:-2}" --dist loadfile "$@"
