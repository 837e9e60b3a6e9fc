"""What ships beside the metrics: every one documented and on the dashboard, Prometheus
scraping with the token, nginx refusing /metrics, monitoring off by default in compose."""

import json
from pathlib import Path

import yaml

from realtime_scrum.metrics import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def our_metrics() -> set[str]:
    names = {family.name for family in REGISTRY.collect() if family.name.startswith("rs_")}
    names.add("rs_huey_queue_depth")  # absent from a scrape while Redis is away
    return names


def test_every_metric_is_documented_in_the_deploy_guide():
    doc = (ROOT / "docs" / "deploy.md").read_text()
    section = doc.split("## Metrics and logs", 1)[1]
    for name in our_metrics():
        suffix = "" if name in ("rs_sockets_open", "rs_huey_queue_depth") else "_total"
        if name == "rs_http_request_duration_seconds":
            suffix = ""
        assert f"`{name}{suffix}" in section, name


def test_every_metric_is_on_the_dashboard():
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "realtime-scrum.json").read_text())
    exprs = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])
    for name in our_metrics():
        assert name in exprs, name


def test_prometheus_scrapes_each_daphne_with_the_bearer_token():
    config = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["type"] == "Bearer"
    assert job["authorization"]["credentials_file"]
    assert job["dns_sd_configs"][0]["names"] == ["web"]


def test_nginx_answers_metrics_itself():
    template = (ROOT / "deploy" / "nginx" / "scrum.conf.template").read_text()
    assert "location = /metrics {\n        return 404;" in template
    assert "location /metrics/ {\n        return 404;" in template


def test_monitoring_services_are_behind_a_compose_profile():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    for name in ("prometheus", "grafana"):
        assert compose["services"][name]["profiles"] == ["monitoring"]
    for name in ("web", "worker", "nginx", "mysql", "redis", "migrate"):
        assert "profiles" not in compose["services"][name]
    assert "METRICS_TOKEN" in compose["x-app"]["environment"]
