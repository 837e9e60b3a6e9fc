"""CHANNEL_LAYER_URLS: the channel layer's hosts, one per URL (channels-redis shards over
them); the cache and Huey stay on REDIS_URL. Settings are read in a fresh interpreter, as a
process starting with that environment would."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.servers import ROOT

READ = (
    "import json; from django.conf import settings as s; "
    "c = s.CHANNEL_LAYERS['default']['CONFIG']; "
    "print(json.dumps({'hosts': c['hosts'], 'cache': s.CACHES['default']['LOCATION'], "
    "'huey': s.HUEY['url']}))"
)


def production_settings(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "CHANNEL_"))}
    result = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "realtime_scrum.settings",
             "DJANGO_READ_DOT_ENV_FILE": "false", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_one_host_per_channel_layer_url_and_the_rest_on_redis_url():
    urls = ["redis://127.0.0.1:7001/0", "redis://127.0.0.1:7002/0"]
    got = production_settings(
        REDIS_URL="redis://127.0.0.1:7000/1", CHANNEL_LAYER_URLS=",".join(urls)
    )
    assert [h["address"] for h in got["hosts"]] == urls
    assert all(h["socket_timeout"] is None and h["max_connections"] == 1000 for h in got["hosts"])
    assert got["cache"] == got["huey"] == "redis://127.0.0.1:7000/1"


def test_the_layer_defaults_to_redis_url():
    got = production_settings(REDIS_URL="redis://127.0.0.1:7000/1")
    assert [h["address"] for h in got["hosts"]] == ["redis://127.0.0.1:7000/1"]
    assert got["hosts"][0]["socket_timeout"] is None
