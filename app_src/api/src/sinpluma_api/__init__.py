"""Sin Pluma REST API."""

from sinpluma_api.app import create_app

__all__ = ["create_app"]
