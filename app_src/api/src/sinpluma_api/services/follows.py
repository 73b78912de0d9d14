"""Follows ("reading" a work): one per user and work; a work's follows go when the work goes."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sinpluma_api.persistence.database import DUPLICATE_KEY, Database, error_code
from sinpluma_api.persistence.models import Follow, Notebook, User
from sinpluma_api.persistence.queries import Paged, paginate
from sinpluma_api.services.errors import Conflict, NotFound


def follow(db: Database, user_id: int, notebook_id: int) -> bool:
    """Follow a work; True if newly followed, False if it already was (idempotent)."""
    with db.transaction() as session:
        notebook = session.get(Notebook, notebook_id)
        if notebook is None:
            raise NotFound("work not found")
        if notebook.user_id == user_id:
            raise Conflict("you cannot follow your own work")
        existing = session.scalar(
            select(Follow.id).where(Follow.user_id == user_id, Follow.notebook_id == notebook_id)
        )
        if existing is not None:
            return False
        try:
            with session.begin_nested():
                session.add(Follow(user_id=user_id, notebook_id=notebook_id))
        except IntegrityError as exc:
            if error_code(exc) == DUPLICATE_KEY:  # a concurrent request followed first
                return False
            raise
        return True


def unfollow(db: Database, user_id: int, notebook_id: int) -> None:
    with db.transaction() as session:
        result = session.execute(
            delete(Follow).where(Follow.user_id == user_id, Follow.notebook_id == notebook_id)
        )
        if result.rowcount == 0:
            raise NotFound("you do not follow this work")


def is_following(db: Database, user_id: int, notebook_id: int) -> bool:
    def work(session: Session) -> bool:
        if session.get(Notebook, notebook_id) is None:
            raise NotFound("work not found")
        found = session.scalar(
            select(Follow.id).where(Follow.user_id == user_id, Follow.notebook_id == notebook_id)
        )
        return found is not None

    return db.read(work, primary=True)


def followed_works(db: Database, user_id: int, page: int, per_page: int) -> Paged[Notebook]:
    def work(session: Session) -> Paged[Notebook]:
        if session.get(User, user_id) is None:
            raise NotFound("user not found")
        statement = (
            select(Notebook)
            .join(Follow, Follow.notebook_id == Notebook.id)
            .where(Follow.user_id == user_id)
            .order_by(Follow.created_at.desc(), Follow.id.desc())
        )
        return paginate(session, statement, page, per_page)

    return db.read(work)
