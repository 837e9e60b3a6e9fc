"""Digest mails are counted by outcome (realtime_scrum/metrics.py): sent, failed."""

import pytest

from tests.metrics.conftest import sample

from .conftest import LONDON
from .test_digest_once import DAY, MORNING, FlakyBackend

NAME = "rs_digest_outcomes_total"


@pytest.fixture
def me(team):
    user = team.user("me", LONDON)
    team.assign(user, DAY)
    return user


def test_a_digest_mailed_is_counted_sent(run_job, me):
    sent, failed = sample(NAME, outcome="sent"), sample(NAME, outcome="failed")
    run_job(MORNING)
    assert sample(NAME, outcome="sent") == sent + 1
    assert sample(NAME, outcome="failed") == failed


def test_a_digest_mail_that_fails_is_counted_failed(run_job, me, settings):
    settings.EMAIL_BACKEND = f"{FlakyBackend.__module__}.FlakyBackend"
    FlakyBackend.failures = 1
    sent, failed = sample(NAME, outcome="sent"), sample(NAME, outcome="failed")
    run_job(MORNING)
    assert sample(NAME, outcome="failed") == failed + 1
    assert sample(NAME, outcome="sent") == sent
