#!/usr/bin/env bash
# Run the platform on the embedded default, in DEVELOPMENT mode: SQLite, every product, demo data,
# printed log-ins, Django's development server. Options: --port PORT (default 8000, or
# ZDRAVE_PORT) and --bind ADDRESS (default 127.0.0.1, or ZDRAVE_BIND_ADDRESS; 0.0.0.0 = every
# interface). The production run is gunicorn, see docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${ZDRAVE_PORT:-8000}
bind=${ZDRAVE_BIND_ADDRESS:-127.0.0.1}
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --port=*) port=${1#--port=}; shift ;;
    --bind) bind=${2:?--bind needs an address}; shift 2 ;;
    --bind=*) bind=${1#--bind=}; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (use --port PORT, --bind ADDRESS)" >&2; exit 2 ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "error: --port: a number from 1 to 65535, not '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "error: --port: a number from 1 to 65535, not '$port'" >&2; exit 2
fi

# Development mode is asked for here, explicitly: debug pages, plain-HTTP cookies and the
# built-in secret key. Without it the platform runs in production mode (docs/deployment.md).
export ZDRAVE_DEBUG=1
if [ "$bind" != "127.0.0.1" ] && [ "$bind" != "localhost" ]; then
  export ZDRAVE_ALLOWED_HOSTS="${ZDRAVE_ALLOWED_HOSTS:-*}"
  echo "warning: development mode listening on $bind: do not expose it to a network you do not trust" >&2
fi
export ZDRAVE_SITE_URL="http://$bind:$port"
echo "Zdrave: DEVELOPMENT mode (ZDRAVE_DEBUG=1), $ZDRAVE_SITE_URL/"

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
zdrave abroad_daily -v0
zdrave db_worker --no-reload --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
zdrave runserver "$bind:$port"
