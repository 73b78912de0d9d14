"""ORM models. The schema itself is created only by the Alembic migrations (migrations/versions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# active: referenced or referenceable; retired: detached, the cleanup command deletes object then row.
IMAGE_STATES = ("active", "retired")


class Base(DeclarativeBase):
    # Fetch server-generated values (created_at, updated_at) right after INSERT/UPDATE, so objects
    # returned from a finished transaction are complete.
    __mapper_args__ = {"eager_defaults": True}


class Image(Base):
    """Metadata of an object stored in MinIO. A row exists only once its object is stored."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    bucket: Mapped[str] = mapped_column(String(63))
    object_key: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(Enum(*IMAGE_STATES, name="image_state"), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    __table_args__ = (UniqueConstraint("bucket", "object_key", name="uq_images_object"),)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_image_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("images.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    avatar: Mapped[Image | None] = relationship(foreign_keys=[avatar_image_id], lazy="joined")


class Genre(Base):
    __tablename__ = "genres"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(45), unique=True)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(90), unique=True)


class NotebookTag(Base):
    __tablename__ = "notebook_tags"

    notebook_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
    )


class Notebook(Base):
    """A work."""

    __tablename__ = "notebooks"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    genre_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("genres.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(80))
    synopsis: Mapped[str] = mapped_column(String(600))
    cover_image_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("images.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())

    author: Mapped[User] = relationship(lazy="joined")
    genre: Mapped[Genre] = relationship(lazy="joined")
    cover: Mapped[Image | None] = relationship(foreign_keys=[cover_image_id], lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary="notebook_tags", lazy="selectin", order_by=Tag.name)


class Page(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    notebook_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("notebooks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(80), default="")
    content: Mapped[Any] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())

    __table_args__ = (UniqueConstraint("notebook_id", "position", name="uq_pages_notebook_position"),)


class Follow(Base):
    """A user follows (reads) a work."""

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    notebook_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("notebooks.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    __table_args__ = (UniqueConstraint("user_id", "notebook_id", name="uq_follows_user_notebook"),)
