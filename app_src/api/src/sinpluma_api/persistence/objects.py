"""Image objects in MinIO: streamed uploads, cleanup marks, listing for the orphan sweep."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import urllib3
from minio import Minio
from minio.commonconfig import Tags
from minio.error import MinioException
from urllib3.exceptions import HTTPError

from sinpluma_api.services.errors import Unavailable

PART_SIZE = 5 * 1024 * 1024  # S3's minimum multipart part size
STATE_TAG = "sinpluma-state"
PENDING = "pending"  # stored, metadata row not committed yet
CLEANUP = "cleanup"  # metadata write failed: delete me
STORAGE_ERRORS = (MinioException, HTTPError, OSError)


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    last_modified: datetime | None


def make_client(
    endpoint: str, access_key: str, secret_key: str, secure: bool, region: str, ca_file: str | None
) -> Minio:
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5, read=30),
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(502, 503, 504)),
        maxsize=10,
        cert_reqs="CERT_REQUIRED" if secure else "CERT_NONE",
        ca_certs=ca_file,
    )
    return Minio(
        endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
    )


class ObjectStore:
    def __init__(self, client: Minio) -> None:
        self.client = client

    def ensure_buckets(self, *buckets: str) -> list[str]:
        created = []
        with _unavailable_on_error():
            for bucket in buckets:
                if not self.client.bucket_exists(bucket):
                    self.client.make_bucket(bucket)
                    created.append(bucket)
        return created

    def check(self, *buckets: str) -> None:
        with _unavailable_on_error():
            for bucket in buckets:
                if not self.client.bucket_exists(bucket):
                    raise Unavailable(f"bucket {bucket!r} does not exist")

    def put_stream(self, bucket: str, key: str, stream: BinaryIO, content_type: str) -> None:
        """Upload without knowing the length: parts of PART_SIZE are sent as they fill."""
        tags = Tags.new_object_tags()
        tags[STATE_TAG] = PENDING
        with _unavailable_on_error():
            self.client.put_object(
                bucket, key, stream, length=-1, part_size=PART_SIZE, content_type=content_type, tags=tags
            )

    def mark_for_cleanup(self, bucket: str, key: str) -> None:
        tags = Tags.new_object_tags()
        tags[STATE_TAG] = CLEANUP
        with _unavailable_on_error():
            self.client.set_object_tags(bucket, key, tags)

    def state(self, bucket: str, key: str) -> str | None:
        with _unavailable_on_error():
            tags = self.client.get_object_tags(bucket, key)
        return (tags or {}).get(STATE_TAG)

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.client.stat_object(bucket, key)
        except MinioException as exc:
            if getattr(exc, "code", "") in {"NoSuchKey", "NoSuchObject"}:
                return False
            raise Unavailable("object storage unavailable") from exc
        except (HTTPError, OSError) as exc:
            raise Unavailable("object storage unavailable") from exc
        return True

    def open(self, bucket: str, key: str) -> urllib3.BaseHTTPResponse:
        with _unavailable_on_error():
            return self.client.get_object(bucket, key)

    def delete(self, bucket: str, key: str) -> None:
        with _unavailable_on_error():
            self.client.remove_object(bucket, key)

    def list(self, bucket: str) -> Iterator[StoredObject]:
        with _unavailable_on_error():
            for obj in self.client.list_objects(bucket, recursive=True):
                yield StoredObject(bucket, obj.object_name, obj.last_modified)


class _unavailable_on_error:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> bool:
        if exc is not None and isinstance(exc, STORAGE_ERRORS):
            raise Unavailable("object storage unavailable") from exc
        return False
