"""Gunicorn settings from environment variables; use with
`gunicorn -c python:sinpluma_linguistics.gunicorn_conf sinpluma_linguistics.wsgi:app`.

SIGTERM is Gunicorn's graceful stop: workers finish in-flight requests for up to graceful_timeout.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}")
    return int(raw)


bind = os.environ.get("LINGUISTICS_BIND", "127.0.0.1:8002")
workers = _int("LINGUISTICS_WORKERS", 2)
threads = _int("LINGUISTICS_THREADS", 1)
timeout = _int("LINGUISTICS_TIMEOUT", 30)
graceful_timeout = _int("LINGUISTICS_GRACEFUL_TIMEOUT", 20)
keepalive = _int("LINGUISTICS_KEEPALIVE", 5)
# Gunicorn's maximum; a long sentence belongs in POST /sentiment/batch, not in a URL.
limit_request_line = 8190
proxy_allow_ips = "127.0.0.1"
# No runtime control socket: one shared default path would collide between Gunicorn instances.
control_socket_disable = True
accesslog = None  # the app logs every request itself, as JSON with its request id
loglevel = os.environ.get("LINGUISTICS_LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sinpluma_linguistics.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
