"""The uploaded file as a stream of chunks, read straight from the request (never buffered whole).

Accepted: a raw image body (Content-Type image/jpeg, image/png, image/webp or
application/octet-stream) or multipart/form-data with the file in the field `image`.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import request
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from sinpluma_api.services.errors import InvalidRequest, UnsupportedMediaType

CHUNK = 64 * 1024
RAW_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/octet-stream"})
FIELD = "image"


def upload_chunks() -> Iterator[bytes]:
    mimetype = request.mimetype
    if mimetype in RAW_TYPES:
        return _raw()
    if mimetype == "multipart/form-data":
        boundary = request.mimetype_params.get("boundary", "")
        if not boundary or len(boundary) > 200:
            raise InvalidRequest("multipart body without a valid boundary")
        return _multipart(boundary.encode("latin-1", "replace"))
    raise UnsupportedMediaType("send the image as image/jpeg, image/png, image/webp or multipart/form-data")


def _raw() -> Iterator[bytes]:
    stream = request.stream
    while chunk := stream.read(CHUNK):
        yield chunk


def _multipart(boundary: bytes) -> Iterator[bytes]:
    decoder = MultipartDecoder(boundary, max_form_memory_size=CHUNK * 4, max_parts=16)
    stream = request.stream
    in_image = found = False
    try:
        while True:
            event = decoder.next_event()
            if isinstance(event, NeedData):
                if decoder.complete:
                    raise InvalidRequest("truncated multipart body")
                decoder.receive_data(stream.read(CHUNK) or None)
                continue
            if isinstance(event, File | Field):
                in_image = isinstance(event, File) and event.name == FIELD
                found = found or in_image
            elif isinstance(event, Data):
                if in_image:
                    yield bytes(event.data)
                    if not event.more_data:
                        return
            elif isinstance(event, Epilogue):
                break
    except ValueError as exc:
        raise InvalidRequest("malformed multipart body") from exc
    if not found:
        raise InvalidRequest(f"multipart body without a file field {FIELD!r}")
