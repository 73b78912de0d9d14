"""Registration, credential checks (argon2id) and admin grants."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import User
from sinpluma_api.services.errors import Conflict, Forbidden, NotFound, Unauthorized

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
INVALID_CREDENTIALS = "invalid user name or password"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("no such user: equal work for unknown names")


def register(
    db: Database, user_name: str, email: str, first_name: str, last_name: str, password: str
) -> User:
    password_hash = HASHER.hash(password)
    with db.transaction() as session:
        taken = session.execute(
            select(User.user_name, User.email).where(or_(User.user_name == user_name, User.email == email))
        ).all()
        if taken:
            fields = {}
            for row in taken:
                if row.user_name.lower() == user_name.lower():
                    fields["user_name"] = ["already taken"]
                if row.email.lower() == email.lower():
                    fields["email"] = ["already registered"]
            raise Conflict("an account with these details already exists", fields)
        user = User(
            user_name=user_name,
            email=email,
            first_name=first_name,
            last_name=last_name,
            password_hash=password_hash,
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError as exc:  # a concurrent registration won the race
            raise Conflict("an account with these details already exists") from exc
        user_id = user.id
    return get_user(db, user_id, primary=True)


def authenticate(db: Database, user_name: str, password: str) -> User:
    """The user for these credentials. Unknown names and wrong passwords look and cost the same."""
    user = db.read(
        lambda s: s.scalars(select(User).where(User.user_name == user_name)).one_or_none(), primary=True
    )
    stored = user.password_hash if user else _dummy_hash()
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized(INVALID_CREDENTIALS) from None
    if user is None:
        raise Unauthorized(INVALID_CREDENTIALS)
    if HASHER.check_needs_rehash(user.password_hash):
        with db.transaction() as session:
            session.get(User, user.id).password_hash = HASHER.hash(password)
    return user


def get_user(db: Database, user_id: int, primary: bool = False) -> User:
    user = db.read(lambda s: s.get(User, user_id), primary=primary)
    if user is None:
        raise NotFound("user not found")
    return user


def set_admin(db: Database, user_name: str, admin: bool) -> User:
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.user_name == user_name)).one_or_none()
        if user is None:
            raise NotFound(f"no user named {user_name!r}")
        user.is_admin = admin
    return user


def require_admin(db: Database, user_id: int) -> None:
    user = db.read(lambda s: s.get(User, user_id), primary=True)
    if user is None or not user.is_admin:
        raise Forbidden("administrator rights required")
