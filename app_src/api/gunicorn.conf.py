"""Gunicorn reads ./gunicorn.conf.py by default; the settings live in the package (installed with it)."""

from sinpluma_api.gunicorn_conf import *  # noqa: F403
