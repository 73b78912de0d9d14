"""Cover and avatar images: magic-byte types, size limit while streaming, serving headers, ownership,
and the failure path (DB write fails after the object is stored -> marked -> cleanup removes it)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from sinpluma_api.persistence.models import Image
from sinpluma_api.persistence.objects import CLEANUP
from sinpluma_api.services import images

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def bucket_keys(runtime, bucket):
    return {stored.key for stored in runtime.objects.list(bucket)}


def test_raw_png_cover_is_stored_and_served_inline_with_cache_headers(client, writer, make_notebook):
    notebook = make_notebook(writer)["id"]
    uploaded = client.put(
        f"/notebooks/{notebook}/cover", data=PNG, content_type="image/png", headers=writer.headers
    )
    assert uploaded.status_code == 201, uploaded.json
    assert uploaded.json["mime_type"] == "image/png" and uploaded.json["size"] == len(PNG)
    served = client.get(f"/notebooks/{notebook}/cover")
    assert served.status_code == 200
    assert served.data == PNG
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Content-Disposition"] == "inline"
    assert served.headers["Cache-Control"].startswith("public")
    etag = served.headers["ETag"]
    assert etag.strip('"') == uploaded.json["sha256"]
    assert client.get(f"/notebooks/{notebook}/cover", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get(f"/notebooks/{notebook}").json["cover_url"].startswith(f"/notebooks/{notebook}/cover?v=")
    )
    assert client.delete(f"/notebooks/{notebook}/cover", headers=writer.headers).status_code == 204
    assert client.get(f"/notebooks/{notebook}/cover").status_code == 404
    assert client.get(f"/notebooks/{notebook}").json["cover_url"] is None
    assert client.delete(f"/notebooks/{notebook}/cover", headers=writer.headers).status_code == 404


def test_multipart_jpeg_and_webp_types_come_from_magic_bytes(client, writer, make_notebook):
    notebook = make_notebook(writer)["id"]
    multipart = client.put(
        f"/notebooks/{notebook}/cover",
        data={"image": (io.BytesIO(JPEG), "cover.png", "image/png")},  # name and declared type lie
        content_type="multipart/form-data",
        headers=writer.headers,
    )
    assert multipart.status_code == 201, multipart.json
    assert multipart.json["mime_type"] == "image/jpeg"
    assert client.get(f"/notebooks/{notebook}/cover").headers["Content-Type"] == "image/jpeg"
    webp = client.put(
        f"/notebooks/{notebook}/cover",
        data=WEBP,
        content_type="application/octet-stream",
        headers=writer.headers,
    )
    assert webp.json["mime_type"] == "image/webp"


def test_wrong_types_are_415(client, writer, make_notebook):
    url = f"/notebooks/{make_notebook(writer)['id']}/cover"
    assert (
        client.put(url, data=b"GIF89a....", content_type="image/png", headers=writer.headers).status_code
        == 415
    )
    assert (
        client.put(url, data=b"<svg/>", content_type="text/plain", headers=writer.headers).status_code == 415
    )
    assert client.put(url, data=b"", content_type="image/png", headers=writer.headers).status_code == 415
    missing_field = client.put(
        url,
        data={"other": (io.BytesIO(PNG), "x.png")},
        content_type="multipart/form-data",
        headers=writer.headers,
    )
    assert missing_field.status_code == 400


def test_oversized_uploads_are_413_and_leave_no_object(make_app, runtime, writer, make_notebook):
    small = make_app(upload_max_bytes=10_000).test_client()
    url = f"/notebooks/{make_notebook(writer)['id']}/cover"
    before = bucket_keys(runtime, runtime.settings.bucket_covers)
    raw = small.put(url, data=PNG + b"\x00" * 20_000, content_type="image/png", headers=writer.headers)
    assert raw.status_code == 413 and raw.json["error"]["code"] == "payload_too_large"
    multipart = small.put(
        url,
        data={"image": (io.BytesIO(PNG + b"\x00" * 20_000), "big.png")},
        content_type="multipart/form-data",
        headers=writer.headers,
    )
    assert multipart.status_code == 413
    huge = small.put(url, data=PNG + b"\x00" * 200_000, content_type="image/png", headers=writer.headers)
    assert huge.status_code == 413  # refused from Content-Length before reading
    assert bucket_keys(runtime, runtime.settings.bucket_covers) == before


def test_someone_elses_cover_is_403_and_stores_nothing(client, runtime, writer, reader, make_notebook):
    url = f"/notebooks/{make_notebook(writer)['id']}/cover"
    before = bucket_keys(runtime, runtime.settings.bucket_covers)
    assert client.put(url, data=PNG, content_type="image/png").status_code == 401
    assert client.put(url, data=PNG, content_type="image/png", headers=reader.headers).status_code == 403
    assert client.delete(url, headers=reader.headers).status_code == 403
    assert bucket_keys(runtime, runtime.settings.bucket_covers) == before


def test_avatar_upload_shows_in_the_public_profile(client, writer):
    assert client.get(f"/users/{writer.id}/avatar").status_code == 404
    assert (
        client.put("/users/me/avatar", data=PNG, content_type="image/png", headers=writer.headers).status_code
        == 201
    )
    profile = client.get(f"/users/{writer.id}").json
    assert profile["avatar_url"].startswith(f"/users/{writer.id}/avatar?v=")
    assert client.get(f"/users/{writer.id}/avatar").data == PNG
    assert client.delete("/users/me/avatar", headers=writer.headers).status_code == 204
    assert client.get(f"/users/{writer.id}/avatar").status_code == 404


def test_failed_metadata_write_marks_the_object_and_cleanup_removes_it(
    client, runtime, writer, make_notebook, monkeypatch
):
    notebook = make_notebook(writer)["id"]
    bucket = runtime.settings.bucket_covers
    before = bucket_keys(runtime, bucket)

    def failing_attach(session, notebook_id, user_id, image):
        # A real failed write: the row violates a NOT NULL column (strict SQL mode refuses it).
        session.execute(text("UPDATE notebooks SET title = NULL WHERE id = :id"), {"id": notebook_id})

    monkeypatch.setattr(images, "attach_cover", failing_attach)
    response = client.put(
        f"/notebooks/{notebook}/cover", data=PNG, content_type="image/png", headers=writer.headers
    )
    assert response.status_code in {409, 503}
    assert response.json["error"]["code"] in {"conflict", "database_unavailable"}
    new = bucket_keys(runtime, bucket) - before
    assert len(new) == 1
    (key,) = new
    assert runtime.objects.state(bucket, key) == CLEANUP
    rows = runtime.db.read(
        lambda s: s.scalars(select(Image).where(Image.object_key == key)).all(), primary=True
    )
    assert rows == []  # no row references the object (nor will once it is gone)
    assert client.get(f"/notebooks/{notebook}").json["cover_url"] is None

    report = images.cleanup(runtime.db, runtime.objects, [bucket], grace=timedelta(hours=1))
    assert f"{bucket}/{key}" in report.deleted_marked
    assert not runtime.objects.exists(bucket, key)
    assert_every_row_has_its_object(runtime)


def test_cleanup_removes_retired_and_old_orphans_but_keeps_recent_ones(
    client, runtime, writer, make_notebook
):
    notebook = make_notebook(writer)["id"]
    url = f"/notebooks/{notebook}/cover"
    bucket = runtime.settings.bucket_covers
    first = client.put(url, data=PNG, content_type="image/png", headers=writer.headers).json
    second = client.put(url, data=JPEG, content_type="image/jpeg", headers=writer.headers).json
    assert first["sha256"] != second["sha256"]
    orphan_key = "orphan-from-a-crash.png"
    runtime.objects.client.put_object(bucket, orphan_key, io.BytesIO(PNG), len(PNG))

    kept = images.cleanup(runtime.db, runtime.objects, [bucket], grace=timedelta(hours=1))
    assert len(kept.deleted_retired) >= 1  # the first cover, replaced by the second
    assert f"{bucket}/{orphan_key}" in kept.kept_recent_orphans
    assert client.get(url).data == JPEG
    swept = images.cleanup(runtime.db, runtime.objects, [bucket], grace=timedelta(seconds=0))
    assert f"{bucket}/{orphan_key}" in swept.deleted_orphans
    assert client.get(url).data == JPEG
    assert client.delete(f"/notebooks/{notebook}", headers=writer.headers).status_code == 204
    images.cleanup(runtime.db, runtime.objects, [bucket], grace=timedelta(hours=1))
    assert_every_row_has_its_object(runtime)


def assert_every_row_has_its_object(runtime):
    rows = runtime.db.read(lambda s: s.execute(select(Image.bucket, Image.object_key)).all(), primary=True)
    missing = [f"{bucket}/{key}" for bucket, key in rows if not runtime.objects.exists(bucket, key)]
    assert missing == []


@pytest.mark.parametrize("head", [PNG[:12], JPEG[:12], WEBP[:12]])
def test_sniff_accepts_the_three_formats(head):
    assert images.sniff(head) is not None


def test_sniff_refuses_lookalikes():
    assert images.sniff(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert images.sniff(b"\x89PNX") is None
