#!/usr/bin/env python3
"""Write a local .env for development if there is none (`make run` calls this).

With it every `manage.py` command works in a fresh clone as it is (`python manage.py shell`
otherwise stops at "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"). The keys are
generated here, once, and never leave this machine: .env is git-ignored. An existing .env is
never touched; the environment still wins over it (realtime_scrum/settings.py).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = """\
# Local development settings, written by `make run` (scripts/write-local-env.py) because
# there was no .env. Never commit it (it is git-ignored); .env.example lists every variable.
# Variables set in the environment win over these.
DJANGO_DEBUG=1
DJANGO_SECRET_KEY={secret_key}
JWT_SIGNING_KEY={jwt_key}
"""


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".env"
    text = TEMPLATE.format(secret_key=secrets.token_urlsafe(50), jwt_key=secrets.token_urlsafe(50))
    try:
        # O_EXCL: never overwrite, even if another .env appeared since we looked; 0600: it
        # holds the keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return 0
    with os.fdopen(fd, "w") as out:
        out.write(text)
    print(f"wrote {path} (DJANGO_DEBUG=1 and generated keys) for local development")
    return 0


if __name__ == "__main__":
    sys.exit(main())
