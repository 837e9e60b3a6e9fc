"""The receiver of docs/integrations.md (docs/examples/webhook_receiver.py) accepts a real
delivery, refuses a forged one and drops a repeat."""

import importlib.util

import pytest

from tests.support.servers import ROOT
from webhooks import drain

pytestmark = pytest.mark.django_db


def _example():
    spec = importlib.util.spec_from_file_location(
        "webhook_receiver", ROOT / "docs" / "examples" / "webhook_receiver.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_receiver_verifies_a_real_delivery(receiver, make_hook, write, capsys):
    example = _example()
    hook = make_hook(receiver.url)
    (seq,) = write(1)
    drain.drain(hook.pk)
    (request,) = receiver.wait_for(1)
    assert example.handle(hook.secret, request.body, request.headers) == 204
    assert f"seq {seq}: task.created" in capsys.readouterr().out
    assert example.handle(hook.secret, request.body, request.headers) == 204  # a repeat
    assert capsys.readouterr().out == ""
    forged = request.body.replace(b"task 0", b"task X")
    assert example.handle(hook.secret, forged, request.headers) == 400
