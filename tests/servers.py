"""Real servers on free loopback ports for the cache tests: Redis (Debian's redis-server, with no
persistence) and the portal itself under gunicorn, as deployed.

A Redis that the machine already runs (on 6379) plays no part: each test run starts its own.
"""

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection

from tests.outbox import closed_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = Path("/usr/bin/redis-server")
INSTALL_HINT = (
    "The cache tests need Redis's server: install it with\n"
    "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server"
)
STARTUP_SECONDS = 30


def _wait_for(ready, what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")


@contextlib.contextmanager
def redis_server(folder: Path):
    """A Redis server of our own; yields its URL for CACHE_URL."""
    if not REDIS_SERVER.exists():
        pytest.fail(INSTALL_HINT)  # never a skip: CI must not pass without these tests
    port = closed_port()
    log = folder / "redis.log"
    command = [
        str(REDIS_SERVER),
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(folder),
        "--logfile", str(log),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        _wait_for(client.ping, "redis-server", process, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def shared_database_url(folder: Path) -> str:
    """DATABASE_URL for other processes to read and write the test database.

    PostgreSQL: the test database itself (the test commits its rows: transaction=True). SQLite:
    the test database lives in this process's memory, so it is copied to a file first.
    """
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        password = f":{params['password']}" if params.get("password") else ""
        host = params.get("host") or "127.0.0.1"
        port = params.get("port") or 5432
        return f"postgres://{params['user']}{password}@{host}:{port}/{params['dbname']}"
    path = folder / "portal.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    return f"sqlite:///{path}"


@contextlib.contextmanager
def portal(folder: Path, name: str, **environment):
    """The portal under gunicorn (gunicorn.conf.py), one worker; yields its base URL."""
    port = closed_port()
    log = folder / f"gunicorn-{name}.log"
    env = {
        **os.environ,
        # The test's own SECRET_KEY: its signed-in sessions are valid there too.
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",  # static files without collectstatic; nothing else the test relies on
        "HTTPS": "0",
        "REQUIRE_2FA_FOR_OFFICE": "0",
        "AXES_ENABLED": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": str(log),
        **environment,
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "mobility_portal.wsgi"]
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(
            lambda: requests.get(f"{url}/healthz", timeout=2).ok, f"gunicorn {name}", process, log
        )
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
