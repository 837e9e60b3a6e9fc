"""Render deploy/nginx/scrum.conf.template for Debian's nginx, exactly as compose does.

The official nginx image substitutes ${NAME} from the environment at start; this does the same
for the names the template uses, and refuses a template that asks for any other, so the file
the tests run cannot drift from the file the containers run.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "scrum.conf.template"
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")

# Debian's nginx as an unprivileged-style child: no daemon, every path inside our temp dir.
MAIN_CONF = """\
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log error;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    include {root}/scrum.conf;
}}
"""


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise KeyError(f"template placeholders without a value: {missing}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def write_config(
    root: Path,
    *,
    listen: int,
    daphne_ports: list[int],
    static_root: Path,
    public_scheme: str = "http",
) -> Path:
    """Write nginx.conf + scrum.conf under `root`; return the main config path."""
    for sub in ("logs", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    upstreams = "\n    ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in daphne_ports
    )
    site = render(
        TEMPLATE.read_text(),
        {
            "DAPHNE_UPSTREAMS": upstreams,
            "NGINX_LISTEN": f"127.0.0.1:{listen}",
            "NGINX_LOG_DIR": str(root / "logs"),
            "STATIC_ROOT": str(static_root),
            "NGINX_PUBLIC_SCHEME": public_scheme,
        },
    )
    (root / "scrum.conf").write_text(site)
    main = root / "nginx.conf"
    main.write_text(MAIN_CONF.format(root=root))
    return main
