"""/metrics: Prometheus text for the bearer of METRICS_TOKEN, or for a loopback client
through no proxy when no token is set; nobody else (and not in the API schema)."""

import pytest
from django.test import Client

TOKEN = "scrape-secret-7"


@pytest.fixture
def client():
    return Client()


def test_with_the_token_set_its_bearer_reads_prometheus_text(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "# HELP rs_sockets_open " in body
    assert "# TYPE rs_socket_closes_total counter" in body
    assert "rs_layer_degraded_seconds_total" in body


def test_with_the_token_set_no_bearer_is_401_and_another_is_403(client, settings):
    settings.METRICS_TOKEN = TOKEN
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing.json()["detail"]
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 403
    assert "rs_" not in wrong.content.decode()


def test_the_token_is_required_even_from_loopback(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 401


def test_without_a_token_a_loopback_client_reads_it(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_without_a_token_anyone_else_gets_404(client, settings):
    settings.METRICS_TOKEN = ""
    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert outside.status_code == 404
    assert "rs_" not in outside.content.decode()


def test_without_a_token_a_proxied_request_from_loopback_gets_404(client, settings):
    # nginx on the same host connects from 127.0.0.1: what it forwards is not local.
    settings.METRICS_TOKEN = ""
    proxied = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.status_code == 404


def test_a_write_method_is_refused_with_json(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405
    assert response.json()["detail"]


@pytest.mark.django_db
def test_metrics_is_not_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    assert not any("metrics" in path for path in schema["paths"])


def test_the_huey_queue_depth_is_read_at_scrape_time(client, settings, monkeypatch):
    from huey.contrib.djhuey import HUEY

    settings.METRICS_TOKEN = ""
    monkeypatch.setattr(HUEY, "pending_count", lambda: 7)
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "rs_huey_queue_depth 7.0" in body


def test_a_queue_that_does_not_answer_leaves_the_scrape_whole(client, settings, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def redis_away():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.METRICS_TOKEN = ""
    monkeypatch.setattr(HUEY, "pending_count", redis_away)
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "rs_huey_queue_depth " not in body
    assert "rs_sockets_open " in body
