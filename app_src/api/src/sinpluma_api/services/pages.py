"""Pages of a work: positions unique per work, renumbering scoped to one work, optimistic versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import Notebook, Page
from sinpluma_api.persistence.queries import Paged, apply_order, close_gap, max_position, open_gap, paginate
from sinpluma_api.services.errors import Conflict, NotFound, ValidationFailed
from sinpluma_api.services.notebooks import owned_notebook

MAX_PAGES_PER_WORK = 10_000
EMPTY_DOCUMENT: list[dict[str, Any]] = [{"type": "paragraph", "children": [{"text": ""}]}]


def list_pages(db: Database, notebook_id: int, page: int, per_page: int) -> Paged[Page]:
    def work(session: Session) -> Paged[Page]:
        if session.get(Notebook, notebook_id) is None:
            raise NotFound("work not found")
        statement = select(Page).where(Page.notebook_id == notebook_id).order_by(Page.position)
        return paginate(session, statement, page, per_page)

    return db.read(work)


def create(db: Database, user_id: int, notebook_id: int, data: dict[str, Any]) -> Page:
    with db.transaction() as session:
        owned_notebook(session, notebook_id, user_id)
        last = max_position(session, notebook_id)
        if last >= MAX_PAGES_PER_WORK:
            raise Conflict(f"a work has at most {MAX_PAGES_PER_WORK} pages")
        position = data.get("position")
        if position is None or position > last:
            position = last + 1
        else:
            open_gap(session, notebook_id, position)
        page = Page(
            notebook_id=notebook_id,
            position=position,
            title=data.get("title", ""),
            content=data.get("content", EMPTY_DOCUMENT),
            version=1,
        )
        session.add(page)
        session.flush()
        return page


def get(db: Database, page_id: int) -> Page:
    page = db.read(lambda session: session.get(Page, page_id), primary=True)
    if page is None:
        raise NotFound("page not found")
    return page


def _owned_page(session: Session, page_id: int, user_id: int) -> Page:
    page = session.get(Page, page_id)
    if page is None:
        raise NotFound("page not found")
    notebook = owned_notebook(session, page.notebook_id, user_id)
    session.refresh(page, with_for_update=True)
    if page.notebook_id != notebook.id:  # moved between the two reads: treat as gone
        raise NotFound("page not found")
    return page


def update(db: Database, user_id: int, page_id: int, changes: dict[str, Any]) -> Page:
    with db.transaction() as session:
        page = _owned_page(session, page_id, user_id)
        if changes["version"] != page.version:
            raise Conflict(
                "the page was changed elsewhere; reload it before saving",
                {"current_version": page.version},
            )
        for name in ("title", "content"):
            if name in changes:
                setattr(page, name, changes[name])
        page.version += 1
        session.flush()
        return page


def delete(db: Database, user_id: int, page_id: int) -> None:
    with db.transaction() as session:
        page = _owned_page(session, page_id, user_id)
        notebook_id, position = page.notebook_id, page.position
        session.delete(page)
        session.flush()
        close_gap(session, notebook_id, position)


def reorder(db: Database, user_id: int, notebook_id: int, page_ids: list[int]) -> list[Page]:
    with db.transaction() as session:
        owned_notebook(session, notebook_id, user_id)
        current = set(session.scalars(select(Page.id).where(Page.notebook_id == notebook_id)))
        if len(page_ids) != len(set(page_ids)) or set(page_ids) != current:
            raise ValidationFailed(
                "page_ids must list every page of the work exactly once",
                {"page_ids": ["must be a permutation of the work's page ids"]},
            )
        apply_order(session, notebook_id, page_ids)
        session.expire_all()
        return list(
            session.scalars(select(Page).where(Page.notebook_id == notebook_id).order_by(Page.position))
        )
