"""Imports go one way (pyproject.toml's import-linter contracts), and the contracts bite."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["mobility_portal", "core", "partners", "people", "exchanges", "devdata"]
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
    with (tmp_path / "partners" / "models.py").open("a", encoding="utf-8") as models:
        models.write("\nfrom exchanges import models\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "partners never imports exchanges BROKEN" in result.stdout
    assert "partners.models -> exchanges.models" in result.stdout
