"""Genres: everyone reads them; only administrators change them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import Genre, Notebook
from sinpluma_api.persistence.queries import Paged, paginate
from sinpluma_api.services.accounts import require_admin
from sinpluma_api.services.errors import Conflict, NotFound


def list_genres(db: Database, page: int, per_page: int) -> Paged[Genre]:
    return db.read(lambda session: paginate(session, select(Genre).order_by(Genre.name), page, per_page))


def get(db: Database, genre_id: int) -> Genre:
    genre = db.read(lambda session: session.get(Genre, genre_id), primary=True)
    if genre is None:
        raise NotFound("genre not found")
    return genre


def _name_taken(session: Session, name: str, except_id: int | None = None) -> bool:
    found = session.scalar(select(Genre.id).where(Genre.name == name))
    return found is not None and found != except_id


def create(db: Database, user_id: int, name: str) -> Genre:
    require_admin(db, user_id)
    with db.transaction() as session:
        if _name_taken(session, name):
            raise Conflict("a genre with this name exists", {"name": ["already exists"]})
        genre = Genre(name=name)
        session.add(genre)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict("a genre with this name exists", {"name": ["already exists"]}) from exc
        return genre


def rename(db: Database, user_id: int, genre_id: int, name: str) -> Genre:
    require_admin(db, user_id)
    with db.transaction() as session:
        genre = session.get(Genre, genre_id, with_for_update=True)
        if genre is None:
            raise NotFound("genre not found")
        if _name_taken(session, name, except_id=genre_id):
            raise Conflict("a genre with this name exists", {"name": ["already exists"]})
        genre.name = name
        return genre


def delete(db: Database, user_id: int, genre_id: int) -> None:
    require_admin(db, user_id)
    with db.transaction() as session:
        genre = session.get(Genre, genre_id, with_for_update=True)
        if genre is None:
            raise NotFound("genre not found")
        if session.scalar(select(Notebook.id).where(Notebook.genre_id == genre_id).limit(1)) is not None:
            raise Conflict("works still use this genre")
        session.delete(genre)
