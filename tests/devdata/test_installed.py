"""devdata is a development tool: installed with DEBUG or DEVDATA=1, unknown otherwise."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(*args, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DEVDATA", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(SECRET_KEY="a-long-random-production-key-" + "x" * 40, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_test_suite_has_devdata():
    assert settings.DEVDATA
    assert "devdata" in settings.INSTALLED_APPS


def test_with_debug_off_load_demo_and_generate_data_are_unknown():
    for command in ("load_demo", "generate_data"):
        result = manage(command, DEBUG="0")

        assert result.returncode != 0
        assert f"Unknown command: '{command}'" in result.stderr


def test_devdata_1_installs_it_with_debug_off():
    result = manage("help", "load_demo", DEBUG="0", DEVDATA="1")

    assert result.returncode == 0, result.stderr
    assert "--force" in result.stdout


def test_debug_installs_it_and_devdata_0_leaves_it_out():
    assert manage("help", "generate_data", DEBUG="1").returncode == 0
    assert manage("help", "generate_data", DEBUG="1", DEVDATA="0").returncode != 0
