"""WSGI entry point for Gunicorn: `sinpluma_linguistics.wsgi:app`."""

from .http.app import create_app

app = create_app()
