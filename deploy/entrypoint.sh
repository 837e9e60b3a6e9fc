#!/bin/sh
# One image, three roles: `web` (daphne), `worker` (Huey), `migrate` (schema, then exit).
# The system tests start their daphnes and worker through this same script.
set -eu
PYTHON=${PYTHON:-python}
cd "$(dirname "$0")/.."

case "${1:-web}" in
  web)
    # --proxy-headers: client address and scheme from nginx's X-Forwarded-* headers.
    # The access log names paths only (daphne never logs query strings, so never a token).
    # realtime_scrum.server is daphne's command line with a close-handshake fix (see there).
    exec "$PYTHON" -m realtime_scrum.server -b "${DAPHNE_BIND:-0.0.0.0}" -p "${DAPHNE_PORT:-8000}" \
      --proxy-headers --access-log "${DAPHNE_ACCESS_LOG:--}" \
      realtime_scrum.asgi:application
    ;;
  worker)
    exec "$PYTHON" manage.py run_huey
    ;;
  migrate)
    # Safe with any number of copies started at once: see migrate_once.py.
    exec "$PYTHON" deploy/migrate_once.py
    ;;
  *)
    # Anything else runs as given, e.g. `docker compose run web python manage.py shell`.
    exec "$@"
    ;;
esac
