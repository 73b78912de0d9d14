"""Initial schema: users, images, genres (seeded), notebooks, pages, follows, tags; FULLTEXT ngram.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLE_OPTIONS = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_0900_ai_ci"}
# The original's ten genres, in English.
GENRES = (
    "Action and adventure",
    "Anthologies",
    "Science fiction",
    "Short stories",
    "Essays",
    "Fantasy",
    "Fiction",
    "Poetry",
    "Drama",
    "Horror",
)


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime, nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("user_name", sa.String(32), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("last_name", sa.String(60), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("avatar_image_id", sa.BigInteger, nullable=True),
        _created(),
        sa.UniqueConstraint("user_name", name="uq_users_user_name"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "images",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False),
        sa.Column("mime_type", sa.String(32), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column(
            "state", sa.Enum("active", "retired", name="image_state"), nullable=False, server_default="active"
        ),
        _created(),
        sa.UniqueConstraint("bucket", "object_key", name="uq_images_object"),
        sa.Index("ix_images_state", "state"),
        **TABLE_OPTIONS,
    )
    op.create_foreign_key(
        "fk_users_avatar_image", "users", "images", ["avatar_image_id"], ["id"], ondelete="SET NULL"
    )
    genres = op.create_table(
        "genres",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(45), nullable=False),
        sa.UniqueConstraint("name", name="uq_genres_name"),
        **TABLE_OPTIONS,
    )
    op.bulk_insert(genres, [{"name": name} for name in GENRES])
    op.create_table(
        "notebooks",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("genre_id", sa.BigInteger, sa.ForeignKey("genres.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("synopsis", sa.String(600), nullable=False),
        sa.Column(
            "cover_image_id", sa.BigInteger, sa.ForeignKey("images.id", ondelete="SET NULL"), nullable=True
        ),
        _created(),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Index("ix_notebooks_created", "created_at"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "notebook_id", sa.BigInteger, sa.ForeignKey("notebooks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(80), nullable=False, server_default=""),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        _created(),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("notebook_id", "position", name="uq_pages_notebook_position"),
        sa.CheckConstraint("position >= 1", name="ck_pages_position_positive"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "notebook_id", sa.BigInteger, sa.ForeignKey("notebooks.id", ondelete="CASCADE"), nullable=False
        ),
        _created(),
        sa.UniqueConstraint("user_id", "notebook_id", name="uq_follows_user_notebook"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(90), nullable=False),
        sa.UniqueConstraint("name", name="uq_tags_name"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "notebook_tags",
        sa.Column(
            "notebook_id",
            sa.BigInteger,
            sa.ForeignKey("notebooks.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag_id", sa.BigInteger, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
        sa.Index("ix_notebook_tags_tag", "tag_id"),
        **TABLE_OPTIONS,
    )
    # ngram tokens (ngram_token_size, default 2) match partial words and text without spaces. The
    # stopword list is disabled for these indexes: with ngram it would drop every token containing a
    # stopword (e.g. "an", "it"), so common syllables could never be found.
    op.execute("SET SESSION innodb_ft_enable_stopword = OFF")
    op.execute("CREATE FULLTEXT INDEX ft_notebooks_text ON notebooks (title, synopsis) WITH PARSER ngram")
    op.execute(
        "CREATE FULLTEXT INDEX ft_users_name ON users (user_name, first_name, last_name) WITH PARSER ngram"
    )
    op.execute("CREATE FULLTEXT INDEX ft_tags_name ON tags (name) WITH PARSER ngram")
    op.execute("SET SESSION innodb_ft_enable_stopword = ON")


def downgrade() -> None:
    for table in ("notebook_tags", "tags", "follows", "pages", "notebooks", "genres"):
        op.drop_table(table)
    op.drop_constraint("fk_users_avatar_image", "users", type_="foreignkey")
    op.drop_table("images")
    op.drop_table("users")
