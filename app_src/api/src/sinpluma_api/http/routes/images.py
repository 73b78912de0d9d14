"""Cover (per work) and avatar (per user) images: upload, serve inline with caching headers, remove."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import image_response, image_upload_body, operation
from sinpluma_api.http.responses import no_content
from sinpluma_api.http.schemas import ImageSchema
from sinpluma_api.http.security import current_user_id
from sinpluma_api.http.uploads import upload_chunks
from sinpluma_api.persistence.models import Image
from sinpluma_api.runtime import runtime
from sinpluma_api.services import images

blueprint = Blueprint("images", __name__)
CACHE_CONTROL = "public, max-age=86400"
UPLOAD_ERRORS = (400, 413, 415)


def image_json(image: Image, url: str) -> dict:
    return ImageSchema().dump(
        {
            "url": f"{url}?v={image.sha256[:16]}",
            "mime_type": image.mime_type,
            "size": image.size,
            "sha256": image.sha256,
        }
    )


def serve(image: Image) -> Response:
    etag = image.sha256
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        stored = runtime().objects.open(image.bucket, image.object_key)
        response = Response(stored.stream(64 * 1024), mimetype=image.mime_type, direct_passthrough=True)
        response.content_length = image.size
        response.call_on_close(stored.close)
        response.call_on_close(stored.release_conn)
        response.headers["Content-Disposition"] = "inline"
        response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@blueprint.put("/notebooks/<id:notebook_id>/cover")
@operation(
    summary="Upload or replace a work's cover (owner only; JPEG, PNG or WebP)",
    tag="images",
    auth="access",
    body_content=image_upload_body(),
    responses={201: ImageSchema},
    errors=(*UPLOAD_ERRORS, 403),
)
@jwt_required()
def upload_cover(notebook_id: int) -> tuple[Response, int]:
    rt = runtime()
    image = images.upload_cover(
        rt.db,
        rt.objects,
        rt.settings.bucket_covers,
        current_user_id(),
        notebook_id,
        upload_chunks(),
        rt.settings.upload_max_bytes,
    )
    return jsonify(image_json(image, f"/notebooks/{notebook_id}/cover")), 201


@blueprint.get("/notebooks/<id:notebook_id>/cover")
@operation(
    summary="A work's cover image", tag="images", responses={200: image_response(), 304: "Not modified"}
)
def get_cover(notebook_id: int) -> Response:
    return serve(images.cover_of(runtime().db, notebook_id))


@blueprint.delete("/notebooks/<id:notebook_id>/cover")
@operation(
    summary="Remove a work's cover (owner only)",
    tag="images",
    auth="access",
    responses={204: None},
    errors=(403,),
)
@jwt_required()
def delete_cover(notebook_id: int) -> tuple[str, int]:
    images.remove_cover(runtime().db, current_user_id(), notebook_id)
    return no_content()


@blueprint.put("/users/me/avatar")
@operation(
    summary="Upload or replace the caller's avatar (JPEG, PNG or WebP)",
    tag="images",
    auth="access",
    body_content=image_upload_body(),
    responses={201: ImageSchema},
    errors=UPLOAD_ERRORS,
)
@jwt_required()
def upload_avatar() -> tuple[Response, int]:
    rt = runtime()
    user_id = current_user_id()
    image = images.upload_avatar(
        rt.db, rt.objects, rt.settings.bucket_avatars, user_id, upload_chunks(), rt.settings.upload_max_bytes
    )
    return jsonify(image_json(image, f"/users/{user_id}/avatar")), 201


@blueprint.delete("/users/me/avatar")
@operation(
    summary="Remove the caller's avatar", tag="images", auth="access", responses={204: None}, errors=(404,)
)
@jwt_required()
def delete_avatar() -> tuple[str, int]:
    images.remove_avatar(runtime().db, current_user_id())
    return no_content()


@blueprint.get("/users/<id:user_id>/avatar")
@operation(
    summary="A user's avatar image", tag="images", responses={200: image_response(), 304: "Not modified"}
)
def get_avatar(user_id: int) -> Response:
    return serve(images.avatar_of(runtime().db, user_id))
