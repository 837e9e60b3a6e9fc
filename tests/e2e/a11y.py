"""Quality gates any e2e test can call: axe-core in the page, and what a page load logged.

axe-core comes from npm (package.json pins it; `make test-e2e` installs it with the other JS
tools). How it gets into the page: the page's CSP (`script-src 'self'`) refuses an inline
<script>, so Playwright's `add_script_tag(content=...)` fails there and leaves a CSP error in
the console. `page.evaluate(source)` runs the source through the DevTools protocol, which the
CSP does not govern, so it works on any page a test already has open and logs nothing. A
context with `bypass_csp` would work too, but it turns the policy off for the whole page: a
real CSP violation (an inline style attribute) would then go unseen by the very tests that
watch the console, and every caller would need a special context."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from .server import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# Runs in the page. Waits for finite animations first: a dialog fading in has text at partial
# opacity, which axe would rightly measure as low contrast.
_RUN = """async ({ include, blocking }) => {
  const finite = document.getAnimations().filter((a) => {
    const timing = a.effect && a.effect.getComputedTiming();
    return timing && timing.endTime !== Infinity;
  });
  await Promise.race([
    Promise.all(finite.map((a) => a.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ]);
  const result = await axe.run(include ? { include: [include] } : document, {
    resultTypes: ['violations'],
  });
  return result.violations
    .map((v) => ({
      id: v.id,
      help: v.help,
      url: v.helpUrl.split('?')[0],
      nodes: v.nodes
        .filter((n) => blocking.includes(n.impact))
        .map((n) => ({
          impact: n.impact,
          target: n.target.map(String).join(' >>> '),
          html: n.html.slice(0, 160),
          summary: (n.failureSummary || '').replace(/\\s+/g, ' ').trim(),
        })),
    }))
    .filter((v) => v.nodes.length);
}"""


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test-e2e` installs it (npm ci)", pytrace=False)
    # The trailing expression is what evaluate returns: proof the script defined `axe`.
    return AXE.read_text() + "\n;typeof window.axe"


def axe_violations(page: Page, include: str | None = None) -> list[dict]:
    """Serious and critical axe violations on the page as it is now (or inside `include`, a
    CSS selector): [{id, help, url, nodes: [{impact, target, html, summary}]}]."""
    if page.evaluate("() => typeof window.axe") != "object":
        assert page.evaluate(_axe_source()) == "object", "axe-core did not load in the page"
    return page.evaluate(_RUN, {"include": include, "blocking": list(BLOCKING)})


def describe(label: str, violations: list[dict]) -> str:
    count = sum(len(v["nodes"]) for v in violations)
    lines = [f"axe: {count} serious/critical violation(s) on {label}:"]
    for v in violations:
        lines.append(f"  {v['id']}: {v['help']} ({v['url']})")
        for node in v["nodes"]:
            lines.append(f"    [{node['impact']}] {node['target']}")
            lines.append(f"        {node['html']}")
            lines.append(f"        {node['summary']}")
    return "\n".join(lines)


def assert_accessible(page: Page, label: str, include: str | None = None) -> None:
    """Fail with a readable list (rule, impact, selector, element, what to fix) when axe finds
    a serious or critical violation. `label` names the view in the message; the viewport is
    added to it."""
    size = page.viewport_size
    where = f"{label} at {size['width']}x{size['height']}" if size else label
    found = axe_violations(page, include)
    assert not found, describe(where, found)


@dataclass
class PageLog:
    """What a page reported while watched: console errors and warnings, uncaught exceptions,
    failed requests and 4xx/5xx answers, one readable line each."""

    problems: list[str] = field(default_factory=list)
    # Chromium reports a fetch whose body the page never read (even an empty 204's) as
    # failed (net::ERR_ABORTED) after its answer came: saying which answer points at the fix.
    answered: dict[Request, int] = field(default_factory=dict)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type}: {message.text} ({where})")

    def on_pageerror(self, error: Exception) -> None:
        self.problems.append(f"uncaught: {error}")

    def on_requestfailed(self, request: Request) -> None:
        status = self.answered.get(request)
        after = f" after its {status} answer: a body left unread?" if status else ""
        self.problems.append(f"failed: {request.method} {request.url} ({request.failure}{after})")

    def on_response(self, response: Response) -> None:
        self.answered[response.request] = response.status
        if response.status >= 400:
            request = response.request
            self.problems.append(f"HTTP {response.status}: {request.method} {response.url}")


def watch(page: Page) -> PageLog:
    """Start recording; attach before `page.goto` to see the whole load."""
    log = PageLog()
    page.on("console", log.on_console)
    page.on("pageerror", log.on_pageerror)
    page.on("requestfailed", log.on_requestfailed)
    page.on("response", log.on_response)
    return log


def assert_quiet(log: PageLog, label: str) -> None:
    assert not log.problems, f"{label} was not quiet:\n  " + "\n  ".join(log.problems)
