"""Query helpers shared by the services: pagination, row locks, page renumbering, search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, literal, or_, select, text
from sqlalchemy.dialects.mysql import match
from sqlalchemy.orm import Session

from sinpluma_api.persistence.models import Notebook, NotebookTag, Page, Tag, User

T = TypeVar("T")
WORD = re.compile(r"\w+")
MAX_SEARCH_WORDS = 10
REORDER_OFFSET = 1_000_000  # larger than any position: lifts a notebook's pages out of the way


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


def paginate(session: Session, statement: Select[Any], page: int, per_page: int) -> Paged[Any]:
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Paged(list(rows), total, page, per_page)


def lock_notebook(session: Session, notebook_id: int) -> Notebook | None:
    """The notebook row, locked: page inserts, deletes and reorders of one notebook run one at a time."""
    return session.scalars(select(Notebook).where(Notebook.id == notebook_id).with_for_update()).one_or_none()


def max_position(session: Session, notebook_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(Page.position), 0)).where(Page.notebook_id == notebook_id)
    )


def open_gap(session: Session, notebook_id: int, position: int) -> None:
    """Shift pages at `position` and after down by one (highest first, so the unique key never collides)."""
    session.execute(
        text(
            "UPDATE pages SET position = position + 1 WHERE notebook_id = :nb AND position >= :pos "
            "ORDER BY position DESC"
        ),
        {"nb": notebook_id, "pos": position},
    )


def close_gap(session: Session, notebook_id: int, position: int) -> None:
    session.execute(
        text(
            "UPDATE pages SET position = position - 1 WHERE notebook_id = :nb AND position > :pos "
            "ORDER BY position ASC"
        ),
        {"nb": notebook_id, "pos": position},
    )


def apply_order(session: Session, notebook_id: int, page_ids: list[int]) -> None:
    session.execute(
        text("UPDATE pages SET position = position + :off WHERE notebook_id = :nb ORDER BY position DESC"),
        {"off": REORDER_OFFSET, "nb": notebook_id},
    )
    for index, page_id in enumerate(page_ids, start=1):
        session.execute(
            text("UPDATE pages SET position = :pos WHERE id = :id AND notebook_id = :nb"),
            {"pos": index, "id": page_id, "nb": notebook_id},
        )


def escape_like(value: str) -> str:
    """Make LIKE treat %, _ and the escape character itself literally (used with ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fulltext_phrases(query: str, min_length: int = 2) -> str:
    """A BOOLEAN MODE expression: each word of the query as a quoted phrase.

    With the ngram parser a quoted phrase means "these n-grams, consecutive": the word appears as
    written, also inside longer words. Operators typed by the user are dropped (only word characters
    survive); words shorter than the n-gram size cannot be indexed and are left to the LIKE matches.
    """
    words = [word for word in WORD.findall(query) if len(word) >= min_length]
    return " ".join(f'"{word}"' for word in words[:MAX_SEARCH_WORDS])


def search_notebooks(session: Session, query: str, page: int, per_page: int) -> Paged[tuple[Notebook, float]]:
    """Works matching title/synopsis (FULLTEXT ngram), author, or tag; best first."""
    phrases = fulltext_phrases(query)
    prefix = escape_like(query) + "%"
    tag_match = (
        select(literal(1))
        .select_from(NotebookTag)
        .join(Tag, Tag.id == NotebookTag.tag_id)
        .where(NotebookTag.notebook_id == Notebook.id, Tag.name.like(prefix, escape="\\"))
        .exists()
    )
    author_prefix = or_(
        User.user_name.like(prefix, escape="\\"),
        User.first_name.like(prefix, escape="\\"),
        User.last_name.like(prefix, escape="\\"),
    )
    score = func.IF(tag_match, 2.0, 0.0) + func.IF(author_prefix, 2.0, 0.0)
    matches = [tag_match, author_prefix]
    if phrases:
        text_score = match(Notebook.title, Notebook.synopsis, against=phrases).in_boolean_mode()
        author_score = match(
            User.user_name, User.first_name, User.last_name, against=phrases
        ).in_boolean_mode()
        score = score + text_score * 2.0 + author_score
        matches += [text_score > 0, author_score > 0]
    base = (
        select(Notebook.id.label("id"), score.label("score"))
        .join(User, User.id == Notebook.user_id)
        .where(or_(*matches))
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ranked = session.execute(
        base.order_by(text("score DESC"), Notebook.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    wanted = [row.id for row in ranked]
    found = session.scalars(select(Notebook).where(Notebook.id.in_(wanted))).unique() if wanted else []
    by_id = {notebook.id: notebook for notebook in found}
    return Paged(
        [(by_id[row.id], float(row.score)) for row in ranked if row.id in by_id], total, page, per_page
    )
