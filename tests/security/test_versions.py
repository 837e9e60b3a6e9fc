"""Version guard: fail if an installed dependency is inside a known-vulnerable range.

Each row is (distribution, first fixed version, why). Versions are read from what is really
installed (importlib.metadata), not from pyproject.toml, so a stray transitive downgrade is
caught too. Add a row when an advisory lands; never delete one.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

import pytest

KNOWN_VULNERABLE = [
    # The two the realtime layer depends on most (TRAPS.md).
    ("daphne", "4.2.2", "CVE-2026-44545 unbounded message size, CVE-2026-44546 header smuggling"),
    ("channels", "3.0.3", "CVE-2020-35681 session leak between AsgiHandler requests"),
    # Django 5.2 LTS security releases.
    ("django", "5.2.1", "CVE-2025-32873 strip_tags denial of service"),
    ("django", "5.2.6", "CVE-2025-57833 SQL injection through FilteredRelation aliases"),
    ("django", "5.2.8", "CVE-2025-64459 SQL injection through the _connector keyword"),
    ("djangorestframework", "3.15.2", "CVE-2024-21520 XSS in the browsable API"),
    ("djangorestframework-simplejwt", "5.3.1", "CVE-2024-22513 tokens of inactive users"),
    ("pyjwt", "2.10.1", "CVE-2024-53861 partial issuer match"),
    ("pyjwt", "2.4.0", "CVE-2022-29217 algorithm confusion"),
    ("redis", "4.5.4", "CVE-2023-28858/28859 responses crossing cancelled connections"),
    ("twisted", "24.7.0", "CVE-2024-41671 HTTP pipelining order, CVE-2024-41810 XSS"),
    ("sqlparse", "0.5.0", "CVE-2024-4340 recursion on deeply nested input"),
    ("idna", "3.7", "CVE-2024-3651 quadratic decoding"),
    ("urllib3", "2.5.0", "CVE-2025-50181 redirect control bypass"),
    ("requests", "2.32.4", "CVE-2024-47081 .netrc credential leak"),
]


def as_tuple(text: str) -> tuple[int, ...]:
    """'4.2.10' -> (4, 2, 10); a pre-release suffix ('24.7.0rc1') only keeps its numbers."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize(("dist", "fixed", "why"), KNOWN_VULNERABLE, ids=lambda v: str(v)[:24])
def test_no_known_vulnerable_version_is_installed(dist, fixed, why):
    try:
        installed = version(dist)
    except PackageNotFoundError:
        return  # not a dependency (any more): nothing to be vulnerable
    assert as_tuple(installed) >= as_tuple(fixed), f"{dist} {installed} < {fixed}: {why}"


def test_the_guard_itself_compares_numerically():
    # String comparison would call 4.2.10 older than 4.2.2, the exact trap this file guards.
    assert as_tuple("4.2.10") > as_tuple("4.2.2")
    assert as_tuple("4.2.1") < as_tuple("4.2.2")


def test_daphne_and_django_are_pinned_exactly_to_safe_versions():
    # A range in pyproject.toml could resolve below the fix on another machine.
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    for dist, fixed in (("daphne", "4.2.2"), ("Django", "5.2.8")):
        pin = re.search(rf'"{dist}==([\d.]+)"', pyproject)
        assert pin, f"{dist} is not pinned with == in pyproject.toml"
        assert as_tuple(pin.group(1)) >= as_tuple(fixed)
