"""Gunicorn settings, from the environment only (SINPLUMA_GUNICORN_*)."""

from __future__ import annotations

import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SINPLUMA_GUNICORN_{name}", "") or default


bind = _env("BIND", "127.0.0.1:8000")
workers = int(_env("WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = _env("WORKER_CLASS", "gthread")
threads = int(_env("THREADS", "4"))
timeout = int(_env("TIMEOUT", "30"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "20"))  # SIGTERM: finish in-flight requests, then exit
keepalive = int(_env("KEEPALIVE", "5"))
max_requests = int(_env("MAX_REQUESTS", "0"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "0"))
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs one JSON line per request
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info")
wsgi_app = "sinpluma_api.wsgi:app"
