#!/usr/bin/env bash
# The whole test suite: lint, the layering contract, product files, then pytest on SQLite
# (everything, browser journeys included) and on PostgreSQL (everything that touches the DB).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/bootstrap.sh
. .venv/bin/activate
export PYTHONHASHSEED=0

echo "== lint"
ruff check src tests benchmarks
ruff format --check src tests benchmarks
lint-imports
zdrave compilemessages -v0 --ignore=.venv

echo "== products"
zdrave products check

echo "== production settings (check --deploy)"
ZDRAVE_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ZDRAVE_ALLOWED_HOSTS=zdrave.example.bg ZDRAVE_BEHIND_PROXY=1 \
  zdrave check --deploy --fail-level WARNING

workers=${ZDRAVE_TEST_WORKERS:-2}
echo "== pytest on SQLite"
pytest -n "$workers" -p no:cacheprovider "$@"

echo "== pytest on PostgreSQL"
url=$(bash scripts/postgres.sh start)
trap 'bash scripts/postgres.sh stop' EXIT
ZDRAVE_DATABASE_URL=$url pytest -n "$workers" -p no:cacheprovider -m "not e2e" \
  --ignore=tests/engine "$@"
