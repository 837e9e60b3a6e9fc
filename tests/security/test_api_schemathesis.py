"""schemathesis over every operation of /api/schema/, on a live daphne, as a real logged-in
owner of a real board, and the same requests again as an outsider aimed at a private board.

Owner: no 5xx, responses and content types conform to the schema, and a request stripped of
its credentials is refused (schemathesis' `ignored_auth`). Outsider: every request that names
a row of the private board is a 404 (or 405), no response anywhere carries a private name, and
the private board's event log does not move, so nothing was read or written from outside.
"""

from __future__ import annotations

import random
import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
)

from .api_world import make_board, path_ids, victim
from .live import tracebacks

EXAMPLES = 12  # per operation: bounded time (39 operations here)
OWNER_CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    ignored_auth,
]
pytestmark = pytest.mark.security


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _aim(case, ids: dict[str, int], board: int) -> None:
    """Point a generated case at real rows: path ids and any `board` in the body."""
    for name, value in ids.items():
        if name in case.path_parameters or "{" + name + "}" in case.operation.path:
            case.path_parameters[name] = value
    if isinstance(case.body, dict) and "board" in case.body:
        case.body["board"] = board


def _outsider_request(case, base: str, session, token: str, private) -> requests.Response:
    ids = path_ids(private, case.operation.path)
    _aim(case, ids, private.board)
    # Sent by hand: a negative case may be one that drops Authorization on purpose, and the
    # outsider must always be a real, authenticated user.
    kwargs = case.as_transport_kwargs(base_url=base, headers=_bearer(token))
    kwargs["headers"] = {**kwargs.get("headers", {}), **_bearer(token)}
    return session.request(**kwargs, timeout=10)


def _refused_by_twisted(response: requests.Response) -> bool:
    """A multipart body Twisted cannot parse (e.g. one closing boundary and no part) is answered
    by daphne's HTTP layer with a bare "400 Bad Request" and no headers, for any path and any
    caller, before Django runs: it says nothing about the row asked for."""
    sent_type = response.request.headers.get("Content-Type", "")
    return (
        response.status_code == 400
        and not response.headers
        and sent_type.startswith("multipart/form-data")
    )


def _explain(exc: BaseException) -> str:
    parts = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
    return " | ".join(f"{type(p).__name__}: {str(p)[:1500]}" for p in parts)


def _runner(strategy, exercise):
    """A bounded Hypothesis run of one operation (no shrinking: time stays bounded, and the
    failing request is printed as generated)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        exercise(case)

    return run


def test_every_operation(fuzz_server):
    base = fuzz_server.base
    mine = make_board(base)
    private = make_board(base)
    from .live import signup

    outsider, _, _ = signup(base, "out")
    seq_before = private.owner.ok("GET", f"/api/boards/{private.board}/snapshot/")["seq"]
    schema = schemathesis.openapi.from_url(f"{base}/api/schema/")
    session = requests.Session()
    rng = random.Random(7)
    failures: list[str] = []
    counted = {"owner": 0, "outsider": 0}
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        path, method = operation.path, operation.method.upper()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        def exercise(case, path=path, method=method):
            outsider_case = case.derive()
            # Mostly real rows, sometimes the generated ids (huge, negative, strings) as sent.
            if rng.random() < 0.85:
                ids = victim(mine, base, path) if method == "DELETE" else path_ids(mine, path)
                _aim(case, ids, mine.board)
            response = case.call(base_url=base, session=session, headers=_bearer(mine.owner.token))
            case.validate_response(response, checks=OWNER_CHECKS)
            counted["owner"] += 1

            out = _outsider_request(outsider_case, base, session, outsider.token, private)
            counted["outsider"] += 1
            assert out.status_code < 500, (method, path, out.status_code, out.text[:300])
            leaked = [m for m in private.markers if m in out.text]
            assert not leaked, (method, path, out.status_code, leaked)
            if "{" in path and path.startswith(
                (
                    "/api/boards/",
                    "/api/sprints/",
                    "/api/tasks/",
                    "/api/users/",
                    "/api/auth/tokens/",
                    "/api/webhooks/",
                )
            ):
                sent = out.request  # what reached the server, to reproduce a failure by hand
                if _refused_by_twisted(out):
                    return
                assert out.status_code in (404, 405), (
                    f"{method} {path} {out.status_code} {out.text[:300]!r} sent {sent.url} "
                    f"{dict(sent.headers)!r} {(sent.body or b'')[:300]!r}"
                )

        run = _runner(strategy, exercise)

        try:
            run()
        except BaseException as exc:  # collect every operation's failure, not just the first
            if not isinstance(exc, Exception | BaseExceptionGroup):
                raise  # KeyboardInterrupt and friends
            failures.append(f"{method} {path}: {_explain(exc)}")

    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {counted} requests in {elapsed:.1f}s")
    assert failures == [], "\n\n".join(failures)
    # Nothing reached the private board: no event was appended, every name is still there.
    snapshot = private.owner.ok("GET", f"/api/boards/{private.board}/snapshot/")
    assert snapshot["seq"] == seq_before
    assert {t["id"] for t in snapshot["tasks"]} == {private.task}
    assert tracebacks(fuzz_server) == []
