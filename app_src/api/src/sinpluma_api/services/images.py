"""Cover and avatar images: validated while streamed into MinIO, then recorded in one transaction.

Order of events, so that no committed row ever references a missing object:
1. the object is stored (tagged pending) under a fresh random key;
2. one transaction inserts its metadata row and points the work/user at it (the previous image
   is retired in the same transaction);
3. if that transaction fails, the object is tagged for cleanup. `sinpluma-api images cleanup`
   deletes tagged objects, objects without a row older than a grace period (crash between 1 and 2),
   and retired images (row first, then object).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.models import Image, Notebook, User
from sinpluma_api.persistence.objects import CLEANUP, ObjectStore
from sinpluma_api.services.errors import NotFound, PayloadTooLarge, UnsupportedMediaType
from sinpluma_api.services.notebooks import owned_notebook

log = logging.getLogger(__name__)

RIFF_WEBP_LENGTH = 12


@dataclass(frozen=True)
class ImageType:
    mime_type: str
    extension: str


JPEG = ImageType("image/jpeg", "jpg")
PNG = ImageType("image/png", "png")
WEBP = ImageType("image/webp", "webp")
ALLOWED_TYPES = (JPEG, PNG, WEBP)
SNIFF_BYTES = 12


def sniff(head: bytes) -> ImageType | None:
    """The image type from its magic bytes (never from the client's Content-Type or file name)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= RIFF_WEBP_LENGTH and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


class ImageStream:
    """A read()-able view of the upload's chunks that counts, hashes and enforces the size limit."""

    def __init__(self, chunks: Iterator[bytes], limit: int) -> None:
        self._chunks = chunks
        self._buffer = b""
        self.limit = limit
        self.size = 0
        self._hash = hashlib.sha256()
        self.image_type = self._sniff()

    def _pull(self) -> bool:
        for chunk in self._chunks:
            if chunk:
                self._buffer += chunk
                return True
        return False

    def _sniff(self) -> ImageType:
        while len(self._buffer) < SNIFF_BYTES and self._pull():
            pass
        if not self._buffer:
            raise UnsupportedMediaType("the upload is empty; send a JPEG, PNG or WebP image")
        image_type = sniff(self._buffer[:SNIFF_BYTES])
        if image_type is None:
            raise UnsupportedMediaType("only JPEG, PNG and WebP images are accepted")
        return image_type

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and self._pull():
            if self.size + len(self._buffer) > self.limit:
                break
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.size += len(data)
        if self.size > self.limit:
            raise PayloadTooLarge(f"images are limited to {self.limit} bytes", {"limit": self.limit})
        self._hash.update(data)
        return data

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@dataclass
class CleanupReport:
    deleted_marked: list[str] = field(default_factory=list)
    deleted_orphans: list[str] = field(default_factory=list)
    deleted_retired: list[str] = field(default_factory=list)
    kept_recent_orphans: list[str] = field(default_factory=list)


Attach = Callable[[Session, Image], None]


def _store(
    db: Database,
    objects: ObjectStore,
    bucket: str,
    owner_id: int,
    chunks: Iterator[bytes],
    limit: int,
    attach: Attach,
) -> Image:
    stream = ImageStream(chunks, limit)
    key = f"{uuid.uuid4().hex}.{stream.image_type.extension}"
    objects.put_stream(bucket, key, stream, stream.image_type.mime_type)
    try:
        with db.transaction() as session:
            image = Image(
                owner_id=owner_id,
                bucket=bucket,
                object_key=key,
                mime_type=stream.image_type.mime_type,
                size=stream.size,
                sha256=stream.sha256,
                state="active",
            )
            session.add(image)
            session.flush()
            attach(session, image)
    except BaseException:
        try:
            objects.mark_for_cleanup(bucket, key)
        except Exception:  # the orphan sweep still removes it after the grace period
            log.exception("could not mark %s/%s for cleanup", bucket, key)
        raise
    return image


def _retire(session: Session, image_id: int | None) -> None:
    if image_id is not None:
        previous = session.get(Image, image_id)
        if previous is not None:
            previous.state = "retired"


def attach_cover(session: Session, notebook_id: int, user_id: int, image: Image) -> None:
    notebook = owned_notebook(session, notebook_id, user_id)
    _retire(session, notebook.cover_image_id)
    notebook.cover_image_id = image.id


def attach_avatar(session: Session, user_id: int, image: Image) -> None:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("user not found")
    _retire(session, user.avatar_image_id)
    user.avatar_image_id = image.id


def upload_cover(
    db: Database,
    objects: ObjectStore,
    bucket: str,
    user_id: int,
    notebook_id: int,
    chunks: Iterator[bytes],
    limit: int,
) -> Image:
    # Refuse before storing anything when the work is missing or someone else's.
    with db.transaction() as session:
        owned_notebook(session, notebook_id, user_id)
    return _store(
        db,
        objects,
        bucket,
        user_id,
        chunks,
        limit,
        lambda s, image: attach_cover(s, notebook_id, user_id, image),
    )


def upload_avatar(
    db: Database, objects: ObjectStore, bucket: str, user_id: int, chunks: Iterator[bytes], limit: int
) -> Image:
    return _store(
        db, objects, bucket, user_id, chunks, limit, lambda s, image: attach_avatar(s, user_id, image)
    )


def remove_cover(db: Database, user_id: int, notebook_id: int) -> None:
    with db.transaction() as session:
        notebook = owned_notebook(session, notebook_id, user_id)
        if notebook.cover_image_id is None:
            raise NotFound("this work has no cover")
        _retire(session, notebook.cover_image_id)
        notebook.cover_image_id = None


def remove_avatar(db: Database, user_id: int) -> None:
    with db.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or user.avatar_image_id is None:
            raise NotFound("no avatar")
        _retire(session, user.avatar_image_id)
        user.avatar_image_id = None


def cover_of(db: Database, notebook_id: int) -> Image:
    def work(session: Session) -> Image:
        notebook = session.get(Notebook, notebook_id)
        if notebook is None:
            raise NotFound("work not found")
        if notebook.cover is None:
            raise NotFound("this work has no cover")
        return notebook.cover

    return db.read(work, primary=True)


def avatar_of(db: Database, user_id: int) -> Image:
    def work(session: Session) -> Image:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("user not found")
        if user.avatar is None:
            raise NotFound("this user has no avatar")
        return user.avatar

    return db.read(work, primary=True)


def cleanup(db: Database, objects: ObjectStore, buckets: list[str], grace: timedelta) -> CleanupReport:
    report = CleanupReport()
    retired = db.read(
        lambda s: list(
            s.execute(select(Image.id, Image.bucket, Image.object_key).where(Image.state == "retired"))
        ),
        primary=True,
    )
    for image_id, bucket, key in retired:
        with db.transaction() as session:
            image = session.get(Image, image_id)
            if image is not None:
                session.delete(image)
        # Row first: if this delete fails, the object is an orphan the sweep below removes later.
        objects.delete(bucket, key)
        report.deleted_retired.append(f"{bucket}/{key}")
    now = datetime.now(UTC)
    for bucket in buckets:
        known = set(
            db.read(
                lambda s, b=bucket: list(s.scalars(select(Image.object_key).where(Image.bucket == b))),
                primary=True,
            )
        )
        for stored in objects.list(bucket):
            if stored.key in known:
                continue
            name = f"{bucket}/{stored.key}"
            if objects.state(bucket, stored.key) == CLEANUP:
                objects.delete(bucket, stored.key)
                report.deleted_marked.append(name)
            elif stored.last_modified is None or now - stored.last_modified > grace:
                objects.delete(bucket, stored.key)
                report.deleted_orphans.append(name)
            else:
                report.kept_recent_orphans.append(name)
    return report
