"""The domain core stands apart from the REST layer: services, selectors, the access rule,
the representation and the wire format import nothing from board/api, not even lazily inside
a function (that is how the old import circle hid: services -> realtime -> api/serializers ->
api/_common -> services)."""

import ast
from pathlib import Path

import pytest

BOARD = Path(__file__).resolve().parents[2] / "board"
CORE = [
    *sorted((BOARD / "services").glob("*.py")),
    BOARD / "selectors.py",
    BOARD / "representation.py",
    BOARD / "access.py",
    BOARD / "realtime.py",
    *sorted((BOARD / "live").glob("*.py")),
]


def _imported_modules(path: Path) -> list[str]:
    return imports_of(path.read_text(), ["board", *path.relative_to(BOARD).parent.parts])


def imports_of(source: str, package: list[str]) -> list[str]:
    """Every module `source` imports, relative imports resolved against `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(BOARD)))
def test_the_core_imports_nothing_from_the_api(path):
    api = [m for m in _imported_modules(path) if m == "board.api" or m.startswith("board.api.")]
    assert not api, f"{path.relative_to(BOARD)} imports {api}"


def test_the_check_sees_a_lazy_import():
    source = "def f():\n    from ..api.serializers import TaskSerializer\n"
    assert "board.api.serializers" in imports_of(source, ["board", "services"])


def test_the_representation_imports_only_models_and_the_access_rule():
    ours = {m for m in _imported_modules(BOARD / "representation.py") if m.startswith("board")}
    assert ours <= {"board.access", "board.access.abilities", "board.models"} | {
        f"board.models.{name}"
        for name in (
            "Board",
            "ChecklistItem",
            "Comment",
            "Label",
            "Membership",
            "Sprint",
            "Status",
            "Task",
        )
    }
