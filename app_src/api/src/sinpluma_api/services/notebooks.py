"""Works (notebooks): create, read, list, update, delete; tags; ownership rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.mysql import insert
from sqlalchemy.orm import Session

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import Follow, Genre, Image, Notebook, NotebookTag, Page, Tag
from sinpluma_api.persistence.queries import Paged, escape_like, lock_notebook, paginate
from sinpluma_api.services.errors import Forbidden, NotFound, ValidationFailed


@dataclass(frozen=True)
class NotebookView:
    notebook: Notebook
    page_count: int
    follower_count: int


def normalise_tag(name: str) -> str:
    return " ".join(name.split()).lower()


def _require_genre(session: Session, genre_id: int) -> None:
    if session.get(Genre, genre_id) is None:
        raise ValidationFailed("unknown genre", {"genre_id": ["no genre with this id"]})


def _set_tags(session: Session, notebook: Notebook, names: list[str]) -> None:
    wanted = sorted({normalise_tag(name) for name in names} - {""})
    if wanted:
        # Upsert: concurrent writers creating the same new tag both succeed.
        statement = insert(Tag).values([{"name": name} for name in wanted])
        session.execute(statement.on_duplicate_key_update(name=statement.inserted.name))
    tags = list(session.scalars(select(Tag).where(Tag.name.in_(wanted)))) if wanted else []
    notebook.tags = tags


def owned_notebook(session: Session, notebook_id: int, user_id: int) -> Notebook:
    """The notebook, locked for the transaction, if it exists and `user_id` owns it."""
    notebook = lock_notebook(session, notebook_id)
    if notebook is None:
        raise NotFound("work not found")
    if notebook.user_id != user_id:
        raise Forbidden("this work belongs to another writer")
    return notebook


def create(db: Database, owner_id: int, data: dict[str, Any]) -> Notebook:
    with db.transaction() as session:
        _require_genre(session, data["genre_id"])
        notebook = Notebook(
            user_id=owner_id,
            genre_id=data["genre_id"],
            title=data["title"],
            synopsis=data.get("synopsis", ""),
        )
        session.add(notebook)
        _set_tags(session, notebook, data.get("tags", []))
        session.flush()
        notebook_id = notebook.id
    return get(db, notebook_id).notebook


def get(db: Database, notebook_id: int) -> NotebookView:
    def work(session: Session) -> NotebookView:
        notebook = session.get(Notebook, notebook_id)
        if notebook is None:
            raise NotFound("work not found")
        counts = session.execute(
            select(
                select(func.count()).where(Page.notebook_id == notebook_id).scalar_subquery(),
                select(func.count()).where(Follow.notebook_id == notebook_id).scalar_subquery(),
            )
        ).one()
        return NotebookView(notebook, counts[0] or 0, counts[1] or 0)

    return db.read(work, primary=True)


def list_notebooks(
    db: Database,
    page: int,
    per_page: int,
    genre_id: int | None = None,
    user_id: int | None = None,
    tag: str | None = None,
) -> Paged[Notebook]:
    statement = select(Notebook).order_by(Notebook.created_at.desc(), Notebook.id.desc())
    if genre_id is not None:
        statement = statement.where(Notebook.genre_id == genre_id)
    if user_id is not None:
        statement = statement.where(Notebook.user_id == user_id)
    if tag:
        statement = statement.where(
            Notebook.id.in_(
                select(NotebookTag.notebook_id)
                .join(Tag, Tag.id == NotebookTag.tag_id)
                .where(Tag.name == normalise_tag(tag))
            )
        )
    return db.read(lambda session: paginate(session, statement, page, per_page))


def update(db: Database, user_id: int, notebook_id: int, changes: dict[str, Any]) -> Notebook:
    with db.transaction() as session:
        notebook = owned_notebook(session, notebook_id, user_id)
        if "genre_id" in changes:
            _require_genre(session, changes["genre_id"])
            notebook.genre_id = changes["genre_id"]
        for name in ("title", "synopsis"):
            if name in changes:
                setattr(notebook, name, changes[name])
        if "tags" in changes:
            _set_tags(session, notebook, changes["tags"])
    return get(db, notebook_id).notebook


def set_tags(db: Database, user_id: int, notebook_id: int, names: list[str]) -> list[str]:
    with db.transaction() as session:
        notebook = owned_notebook(session, notebook_id, user_id)
        _set_tags(session, notebook, names)
        return [tag.name for tag in notebook.tags]


def delete(db: Database, user_id: int, notebook_id: int) -> None:
    """Pages, follows and tag links go with the work (FK cascade); the cover is retired for cleanup."""
    with db.transaction() as session:
        notebook = owned_notebook(session, notebook_id, user_id)
        if notebook.cover_image_id is not None:
            image = session.get(Image, notebook.cover_image_id)
            if image is not None:
                image.state = "retired"
        session.delete(notebook)


def list_tags(db: Database, prefix: str | None, page: int, per_page: int) -> Paged[tuple[str, int]]:
    def work(session: Session) -> Paged[tuple[str, int]]:
        statement = (
            select(Tag.name, func.count(NotebookTag.notebook_id).label("works"))
            .join(NotebookTag, NotebookTag.tag_id == Tag.id)
            .group_by(Tag.id, Tag.name)
            .order_by(func.count(NotebookTag.notebook_id).desc(), Tag.name)
        )
        if prefix:
            statement = statement.where(Tag.name.like(escape_like(normalise_tag(prefix)) + "%", escape="\\"))
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        rows = session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
        return Paged([(row.name, row.works) for row in rows], total, page, per_page)

    return db.read(work)
