"""Imports go one way: core <- partners <- people. partners never imports people."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_apps(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("core", {"partners", "people", "exchanges", "mobility_portal"}),
        ("partners", {"people", "exchanges"}),
        ("people", {"exchanges"}),
    ],
)
def test_no_app_imports_a_higher_one(package, forbidden):
    assert not imported_apps(package) & forbidden
