"""Search over works: title, synopsis, author and tag, ranked (see persistence.queries.search_notebooks)."""

from __future__ import annotations

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import Notebook
from sinpluma_api.persistence.queries import Paged, search_notebooks


def search(db: Database, query: str, page: int, per_page: int) -> Paged[tuple[Notebook, float]]:
    """Read-only: runs on the read-only port, retried once after a lost connection."""
    return db.read(lambda session: search_notebooks(session, query.strip(), page, per_page))
