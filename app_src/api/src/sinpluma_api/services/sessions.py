"""Token pairs: issue, rotate on refresh, revoke both on logout.

Each access token carries the id and expiry of the refresh token issued with it, so logging out
with the access token alone revokes both.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask_jwt_extended import create_access_token, create_refresh_token

from sinpluma_api.persistence.models import User
from sinpluma_api.services.errors import Unauthorized
from sinpluma_api.services.revocation import RevocationStore


def issue_pair(user: User, access_seconds: int, refresh_seconds: int) -> dict[str, Any]:
    now = int(time.time())
    refresh_jti = str(uuid.uuid4())
    refresh_exp = now + refresh_seconds
    refresh = create_refresh_token(
        identity=str(user.id), additional_claims={"jti": refresh_jti, "exp": refresh_exp}
    )
    access = create_access_token(
        identity=str(user.id),
        additional_claims={
            "exp": now + access_seconds,
            "rjti": refresh_jti,
            "rexp": refresh_exp,
            "id": user.id,
            "fname": user.first_name,
            "lname": user.last_name,
        },
    )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": access_seconds,
    }


def rotate(store: RevocationStore, refresh_claims: dict[str, Any]) -> None:
    """Spend a refresh token: it is revoked now, and a second use (replay or race) is refused."""
    if not store.revoke(refresh_claims["jti"], refresh_claims["exp"]):
        raise Unauthorized("Token has been revoked")


def logout(store: RevocationStore, access_claims: dict[str, Any]) -> None:
    store.revoke(access_claims["jti"], access_claims["exp"])
    if "rjti" in access_claims and "rexp" in access_claims:
        store.revoke(str(access_claims["rjti"]), int(access_claims["rexp"]))
