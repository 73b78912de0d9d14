"""WSGI entry point for Gunicorn: `gunicorn -c python:sinpluma_api.gunicorn_conf sinpluma_api.wsgi:app`."""

from sinpluma_api.app import create_app

app = create_app()
