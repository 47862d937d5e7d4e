"""Imports go one way (pyproject.toml's import-linter contracts), and the contracts bite."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["mobility_portal", "core", "partners", "people", "exchanges", "reporting", "devdata"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # The packages are found where lint-imports runs, never in the installed project.
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_partners_importing_exchanges_breaks_its_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / "partners" / "models" / "agreements.py").open("a", encoding="utf-8") as models:
        models.write("\nfrom exchanges import models\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "partners never imports exchanges BROKEN" in result.stdout
    assert "partners.models.agreements -> exchanges.models" in result.stdout


APPS = ["mobility_portal", "core", "partners", "people", "exchanges", "reporting", "devdata"]


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_of_the_apps_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _app_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert too_long == {}


def test_no_function_of_the_apps_is_over_60_lines():
    too_long = {}
    for path in _app_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    too_long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert too_long == {}
