"""The gates themselves, on pages with known faults: a gate that never fails proves nothing.

No server: Playwright answers each request itself (a made-up origin, never on the network),
with the app's own CSP, so the helpers are proven where they are used."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .a11y import assert_accessible, assert_quiet, axe_violations, watch

ORIGIN = "http://a11y.invalid"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
FAULTY = """<!doctype html><html lang="en"><head><title>Faulty</title>
<link rel="stylesheet" href="/faulty.css"></head>
<body><main><h1>Faulty</h1>
<input id="nameless" type="text">
<p class="faint">Grey on white, about 2:1.</p>
</main></body></html>"""
# Only moderate findings: no landmark, no h1. Those are for review, not for failing the tier.
MODERATE = """<!doctype html><html lang="en"><head><title>Plain</title></head>
<body><div><p>Nothing here fails a person who uses a screen reader.</p></div></body></html>"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    yield context.new_page()
    context.close()


def serve(page: Page, body: str, *, path: str = "/", status: int = 200, kind: str = "html") -> None:
    headers = {"Content-Type": f"text/{kind}", "Content-Security-Policy": CSP}
    page.route(f"{ORIGIN}{path}", lambda r: r.fulfill(status=status, body=body, headers=headers))


def faulty(page: Page) -> None:
    serve(page, FAULTY)
    serve(page, ".faint { color: #b8b8b8; background: #fff; }", path="/faulty.css", kind="css")
    page.goto(f"{ORIGIN}/")


def test_an_unlabeled_input_and_low_contrast_fail_with_rule_selector_and_fix(page):
    faulty(page)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "the faulty page")
    message = str(failure.value)
    assert "on the faulty page at 800x600" in message
    assert "label: Form elements must have labels" in message
    assert "[critical] #nameless" in message
    assert "color-contrast: Elements must meet minimum color contrast" in message
    assert '[serious] p\n        <p class="faint">' in message
    assert "insufficient color contrast of 1.98" in message


def test_moderate_findings_do_not_fail(page):
    serve(page, MODERATE)
    page.goto(f"{ORIGIN}/")
    assert_accessible(page, "a plain page")


def test_axe_runs_under_the_pages_csp_and_logs_nothing(page):
    log = watch(page)
    faulty(page)
    # What the helper avoids: an inline <script> is refused by this CSP, and says so.
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.inlined = true")
    log.problems.clear()
    found = axe_violations(page)
    assert {v["id"] for v in found} == {"label", "color-contrast"}
    assert_quiet(log, "injecting axe")
    # A second run reuses the injected script and scopes to a selector.
    assert [v["id"] for v in axe_violations(page, include="#nameless")] == ["label"]


def test_the_page_log_catches_console_errors_exceptions_and_bad_answers(page):
    serve(page, "<!doctype html><title>x</title><script src='/app.js'></script>")
    script = (
        "console.warn('careful'); fetch('/gone'); fetch('/down');"
        "fetch('/empty', { method: 'POST' }).then((r) => r.status); throw new Error('boom');"
    )
    serve(page, script, path="/app.js", kind="javascript")
    serve(page, "{}", path="/gone", status=404)
    page.route(f"{ORIGIN}/down", lambda route: route.abort("connectionrefused"))
    serve(page, "", path="/empty", status=204)
    log = watch(page)
    page.goto(f"{ORIGIN}/")
    page.wait_for_load_state("networkidle")
    text = "\n".join(log.problems)
    assert "console warning: careful" in text
    assert "uncaught: boom" in text or "uncaught: Error: boom" in text
    assert f"HTTP 404: GET {ORIGIN}/gone" in text
    assert f"failed: GET {ORIGIN}/down" in text
    assert f"failed: POST {ORIGIN}/empty (net::ERR_ABORTED after its 204 answer" in text
    with pytest.raises(AssertionError, match="was not quiet"):
        assert_quiet(log, "the noisy page")
