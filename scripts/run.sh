#!/usr/bin/env bash
# Run the platform on the embedded default: SQLite, every product, demo data, printed log-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
mkdir -p var
zdrave compilemessages -v0 --ignore=.venv
zdrave migrate --noinput -v0
zdrave products load
zdrave demo
exec zdrave runserver 127.0.0.1:8000
