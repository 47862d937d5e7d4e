"""Gunicorn as deployed: `gunicorn -c gunicorn.conf.py mobility_portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...).
The defaults were chosen by measurement on the 2-core machine the portal targets (`make bench`,
bench/results.md).
"""

import os

cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, one process per core. Measured on 2 cores at scale large (1,000,000 records) with
# `wrk -t2 -c16 -d10s` and a signed-in session, requests per second on the partners list / the
# trivial page of the same size (bench/views.py), two rounds, the machine shared with other work:
#   sync,    5 workers (2 * cores + 1)  10.0 / 137   15.7 / 159
#   gthread, 5 workers x 2 threads      11.5 / 153
#   gthread, 3 workers x 4 threads      12.0 / 136
#   gthread, 2 workers x 4 threads      15.8 / 183   14.6 / 185
#   gthread, 2 workers x 8 threads      18.3 / 287   21.4 / 181   20.6 / 207
# A page spends most of its time waiting for PostgreSQL, which runs on the same two cores:
# threads overlap those waits, more processes than cores only add memory and connections.
# gthread also keeps answering the arbiter's heartbeat while a thread writes a long export (a
# workbook takes up to about 15 s), where a sync worker would be killed after `timeout` seconds.
# 2 x 8 threads = 16 persistent database connections (CONN_MAX_AGE), well within PostgreSQL's
# default 100.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", cores))
threads = int(os.environ.get("GUNICORN_THREADS", 8))

# A worker whose main loop is stuck this long is restarted; with gthread, slow requests and
# long exports do not count against it. The proxy in front has its own request timeout.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On reload or shutdown, requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Behind a reverse proxy that reuses its connections: a little longer than nothing.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Workers are not recycled after a number of requests (0 = never). Recycling cost requests:
# wrk (.ci/load, 32 connections) once saw 4 socket errors as workers stopped, since a stopping
# worker closes the kept-alive connections it holds and a request already on its way on one of
# them is lost. What it guards against, a slow leak, was not seen: under .ci/load a worker
# levels off at about 78 MB within the first minute. Should a leak appear, set
# GUNICORN_MAX_REQUESTS and GUNICORN_MAX_REQUESTS_JITTER (so workers do not stop all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 0))

# Logs to stdout/stderr, for the service manager or the container runtime to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
