"""Application factory."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from sinpluma_api.config import Settings
from sinpluma_api.http.errors import register_error_handlers
from sinpluma_api.http.requests import JSON_BODY_LIMIT
from sinpluma_api.http.routes import auth, discovery, genres, health, images, notebooks, pages, users
from sinpluma_api.http.security import init_jwt
from sinpluma_api.observability import configure_logging, init_request_logging
from sinpluma_api.runtime import EXTENSION, Runtime

API_VERSION = "1.0.0"
MULTIPART_OVERHEAD = 64 * 1024


class IdConverter(IntegerConverter):
    """Database ids: 1 .. 2^63-1; anything else is simply not found (404)."""

    def __init__(self, url_map: object) -> None:
        super().__init__(url_map, min=1, max=2**63 - 1)  # type: ignore[arg-type]


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    settings = settings or (runtime.settings if runtime else Settings.from_env())
    configure_logging(settings.log_level)
    app = Flask(__name__, static_folder=None)
    app.config.update(
        API_VERSION=API_VERSION,
        MAX_CONTENT_LENGTH=max(settings.upload_max_bytes + MULTIPART_OVERHEAD, JSON_BODY_LIMIT),
        JSON_SORT_KEYS=False,
    )
    app.url_map.converters["id"] = IdConverter
    app.url_map.strict_slashes = True
    app.url_map.redirect_defaults = False
    if settings.trusted_proxies > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )  # type: ignore[method-assign]
    app.extensions[EXTENSION] = runtime or Runtime.from_settings(settings)
    init_jwt(app, settings.jwt_secret, settings.access_token_seconds, settings.refresh_token_seconds)
    register_error_handlers(app)
    init_request_logging(app)
    for module in (health, auth, users, genres, notebooks, pages, images, discovery):
        app.register_blueprint(module.blueprint)
    return app
