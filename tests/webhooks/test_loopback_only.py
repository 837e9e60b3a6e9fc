"""On test machines (WEBHOOK_LOOPBACK_ONLY, set by tests/settings.py) no webhook traffic leaves
the machine, whatever URL a test or the security tier's fuzzer gives a webhook: no name but
`localhost` is looked up, and nothing but loopback is connected to."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.test import override_settings

from webhooks import targets
from webhooks.transport import Sender


def test_the_setting_is_on_in_the_test_settings(settings):
    assert settings.WEBHOOK_LOOPBACK_ONLY is True


def test_a_name_is_never_looked_up():
    with mock.patch.object(socket, "getaddrinfo", side_effect=AssertionError("DNS query")):
        with pytest.raises(targets.TargetRefused, match="not looked up"):
            targets.resolve("hooks.example.com", 443)
        assert targets.resolve("localhost", 80) == ["127.0.0.1"]
        assert targets.resolve("10.1.2.3", 80) == ["10.1.2.3"]


def test_nothing_but_loopback_is_connected_to():
    target = targets.parse("http://hooks.example.com/in")
    with mock.patch.object(socket, "create_connection", side_effect=AssertionError("connect")):
        outcome = Sender().post(target, "93.184.216.34", b"{}", {})
    assert not outcome.ok and "WEBHOOK_LOOPBACK_ONLY" in outcome.error


@override_settings(WEBHOOK_LOOPBACK_ONLY=False)
def test_off_in_production_names_are_resolved():
    answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.9", 443))]
    with mock.patch.object(socket, "getaddrinfo", return_value=answer) as lookup:
        assert targets.resolve("hooks.example.com", 443) == ["203.0.113.9"]
    lookup.assert_called_once()
