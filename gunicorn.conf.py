"""gunicorn's settings for `make serve`, and for `make bench`, which runs the app and its
bare-Flask baseline under these same settings. Each comes from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Processes, each with its own database pool: gunicorn's rule of thumb, 2 per core + 1.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

# 1 (the default): sync workers, which take a connection only when idle, so the load
# spreads evenly over the processes; they answer and close, so they belong behind a
# reverse proxy (which keeps the browsers' connections alive and buffers slow clients).
# More than 1: gthread workers with keep-alive. A gthread worker accepts every connection
# it can, so a burst of keep-alive clients may all land on one process: measured with
# `make bench`, that left the second core idle.
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)

timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Access logs are the reverse proxy's job; set GUNICORN_ACCESS_LOG=- to get them anyway.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
