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
zdrave specialists load
zdrave demo
# The background worker (django-tasks-db) delivers e-mail and runs other tasks. Before it starts,
# every outbox message that is due is enqueued again, so a restart loses nothing.
zdrave outbox_retry -v0
zdrave consultation_reminders -v0
zdrave db_worker --no-reload --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
zdrave runserver 127.0.0.1:8000
