"""Application factory."""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, g, request

from ..config import Settings
from ..logs import configure_logging
from .errors import register_error_handlers
from .routes import blueprint
from .state import load_state

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app; settings come from the environment unless a test passes them in."""
    settings = settings or Settings.from_env()
    log = configure_logging(settings.log_level)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["linguistics.settings"] = settings
    app.extensions["linguistics.model"] = load_state(settings, log)
    app.register_blueprint(blueprint)
    register_error_handlers(app)

    @app.before_request
    def _start() -> None:
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if _CLIENT_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        started = g.get("started")
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,  # never the query string: it carries the writer's text
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "items": g.get("items"),
            },
        )
        return response

    return app
