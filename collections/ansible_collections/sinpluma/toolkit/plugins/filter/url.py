"""`value | sinpluma.toolkit.url_quote`: a user name or password quoted for the userinfo part of a
URL (every reserved character escaped, `/` and `@` included), which SQLAlchemy and redis-py
unquote back."""

from __future__ import annotations

from urllib.parse import quote


def url_quote(value):
    return quote(str(value), safe="")


class FilterModule:
    def filters(self):
        return {"url_quote": url_quote}
