"""What is wrong with roles/api's inputs, as messages that name variables and never quote secrets."""

from __future__ import annotations

import re
from typing import Any

SECRETS = (
    "api_db_password",
    "api_db_migration_password",
    "api_redis_password",
    "api_minio_secret_key",
    "api_jwt_secret",
)
_HOST_PORT = re.compile(r"^[^:/\s]+:[0-9]{1,5}$")


def errors(values: dict[str, Any], groups: dict[str, list[str]]) -> list[str]:
    """`values` holds the api_* variables (secrets absent when undefined), `groups` the inventory's."""
    found = [f"{name} is required (a vault variable)" for name in SECRETS if not str(values.get(name) or "")]
    if values.get("api_jwt_secret") and len(str(values["api_jwt_secret"])) < 32:
        found.append("api_jwt_secret must be at least 32 characters")
    router = values.get("api_db_router")
    if router not in ("local", "group"):
        found.append(f"api_db_router must be local or group, not {router!r}")
    elif router == "group" and not groups.get(values.get("api_db_router_group", ""), []):
        found.append(f"api_db_router_group {values.get('api_db_router_group')!r} has no hosts")
    if not values.get("api_redis_host"):
        found.append("api_redis_host is empty (no redis group in the inventory?)")
    if not _HOST_PORT.match(str(values.get("api_minio_endpoint", ""))):
        found.append(f"api_minio_endpoint must be host:port, not {values.get('api_minio_endpoint')!r}")
    if values.get("api_cleanup_host") not in groups.get("all", []):
        found.append(f"api_cleanup_host {values.get('api_cleanup_host')!r} is not an inventory host")
    return found
