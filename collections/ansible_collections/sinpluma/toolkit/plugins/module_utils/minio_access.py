"""Buckets, least-privilege policies and users of a MinIO deployment, reconciled against a
server through a small client interface. Pure Python: the MinIO SDK lives behind the
interface (module_utils/minio_sdk.py); tests drive an in-memory fake.

What is declared is created or corrected; what is not declared is left alone (the role never
deletes buckets, users or policies it did not make).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

ACCESS_LEVELS = ("read_write", "read_only")
_BUCKET_ACTIONS = {
    "read_write": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
    "read_only": ["s3:GetBucketLocation", "s3:ListBucket"],
}
_OBJECT_ACTIONS = {
    "read_write": [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
    ],
    "read_only": ["s3:GetObject"],
}


class MinioAccessError(ValueError):
    """A declaration the server cannot be brought to (bad input, or the server refused)."""


class Client(Protocol):
    """What reconcile() needs from a MinIO server (implemented over the SDK in minio_sdk.py)."""

    def bucket_exists(self, name: str) -> bool: ...
    def make_bucket(self, name: str) -> None: ...
    def get_versioning(self, name: str) -> str: ...  # "Enabled", "Suspended" or "Off"
    def set_versioning(self, name: str, enabled: bool) -> None: ...
    def get_lifecycle(self, name: str) -> list[dict[str, Any]]: ...  # canonical rules
    def set_lifecycle(self, name: str, rules: list[dict[str, Any]]) -> None: ...
    def delete_lifecycle(self, name: str) -> None: ...
    def get_policy(self, name: str) -> dict[str, Any] | None: ...
    def put_policy(self, name: str, document: dict[str, Any]) -> None: ...
    def get_user(self, access_key: str) -> dict[str, Any] | None: ...  # {"policies", "enabled"}
    def add_user(self, access_key: str, secret_key: str) -> None: ...
    def enable_user(self, access_key: str) -> None: ...
    def credentials_valid(self, access_key: str, secret_key: str) -> bool: ...
    def attach_policies(self, access_key: str, policies: list[str]) -> None: ...
    def detach_policies(self, access_key: str, policies: list[str]) -> None: ...


@dataclass
class Result:
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def policy_name(access_key: str) -> str:
    """The policy the role makes for one user: that user's buckets and nothing else."""
    return f"{access_key}-buckets"


def bucket_policy(buckets: Sequence[str], access: str = "read_write") -> dict[str, Any]:
    """An IAM policy limited to `buckets`: list them and read (and write) their objects.
    No s3:* wildcard, no bucket-level writes (policy, versioning, deletion), no admin action."""
    if access not in ACCESS_LEVELS:
        raise MinioAccessError(f"access must be one of {ACCESS_LEVELS}, not {access!r}")
    if not buckets:
        raise MinioAccessError("a policy needs at least one bucket")
    names = sorted(set(buckets))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": list(_BUCKET_ACTIONS[access]),
                "Resource": [f"arn:aws:s3:::{b}" for b in names],
            },
            {
                "Effect": "Allow",
                "Action": list(_OBJECT_ACTIONS[access]),
                "Resource": [f"arn:aws:s3:::{b}/*" for b in names],
            },
        ],
    }


def normalize_policy(document: Mapping[str, Any] | str | None) -> dict[str, Any] | None:
    """A policy in a form that compares equal however the server ordered or wrapped it
    (MinIO may answer with `{"Policy": {...}}`, single strings instead of lists, or no Sid)."""
    if document is None:
        return None
    if isinstance(document, (str, bytes)):
        document = json.loads(document)
    if "Policy" in document and "Statement" not in document:
        return normalize_policy(document["Policy"])
    statements = []
    for statement in document.get("Statement", []):
        normal = {"Effect": statement.get("Effect", "Allow")}
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in statement:
                value = statement[key]
                normal[key] = sorted([value] if isinstance(value, str) else value)
        if statement.get("Condition"):
            normal["Condition"] = statement["Condition"]
        statements.append(normal)
    statements.sort(key=lambda s: json.dumps(s, sort_keys=True))
    return {"Version": document.get("Version", "2012-10-17"), "Statement": statements}


def lifecycle_rules(rules: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Canonical lifecycle rules, sorted by id: {id, prefix, expiration_days,
    noncurrent_expiration_days, abort_incomplete_days}, absent values as None."""
    canonical = []
    for rule in rules or []:
        if not rule.get("id"):
            raise MinioAccessError(f"lifecycle rule {dict(rule)} needs an id")
        entry = {
            "id": str(rule["id"]),
            "prefix": rule.get("prefix") or "",
            "expiration_days": _days(rule, "expiration_days"),
            "noncurrent_expiration_days": _days(rule, "noncurrent_expiration_days"),
            "abort_incomplete_days": _days(rule, "abort_incomplete_days"),
        }
        if not any(
            entry[k] for k in ("expiration_days", "noncurrent_expiration_days", "abort_incomplete_days")
        ):
            raise MinioAccessError(f"lifecycle rule {entry['id']!r} sets no expiration")
        canonical.append(entry)
    ids = [r["id"] for r in canonical]
    if len(set(ids)) != len(ids):
        raise MinioAccessError(f"lifecycle rule ids must be unique: {ids}")
    return sorted(canonical, key=lambda r: r["id"])


def _days(rule: Mapping[str, Any], key: str) -> int | None:
    value = rule.get(key)
    if value in (None, "", 0):
        return None
    days = int(value)
    if days < 1:
        raise MinioAccessError(f"lifecycle rule {rule.get('id')!r}: {key} must be at least 1 day")
    return days


def reconcile(
    client: Client,
    buckets: Sequence[Mapping[str, Any]],
    users: Sequence[Mapping[str, Any]],
    check_mode: bool = False,
) -> Result:
    """Bring the server to the declared buckets, policies and users. In check mode nothing is
    written and the result lists what would change."""
    result = Result()
    declared = {b["name"] for b in buckets}
    for bucket in buckets:
        _bucket(client, bucket, result, check_mode)
    for user in users:
        unknown = sorted(set(user.get("buckets") or []) - declared)
        if unknown:
            raise MinioAccessError(f"user {user['access_key']!r} names undeclared buckets {unknown}")
        _user(client, user, result, check_mode)
    return result


def _bucket(client: Client, bucket: Mapping[str, Any], result: Result, check_mode: bool) -> None:
    name = bucket["name"]
    exists = client.bucket_exists(name)
    if not exists:
        result.changes.append(f"create bucket {name}")
        if not check_mode:
            client.make_bucket(name)
    versioning = bucket.get("versioning")
    if versioning is not None:
        current = client.get_versioning(name) if exists else "Off"
        if versioning and current != "Enabled":
            result.changes.append(f"enable versioning on {name}")
            if not check_mode:
                client.set_versioning(name, True)
        elif not versioning and current == "Enabled":
            result.changes.append(f"suspend versioning on {name}")
            if not check_mode:
                client.set_versioning(name, False)
    lifecycle = bucket.get("lifecycle")
    if lifecycle is not None:
        wanted = lifecycle_rules(lifecycle)
        current_rules = lifecycle_rules(client.get_lifecycle(name)) if exists else []
        if wanted != current_rules:
            result.changes.append(f"set lifecycle of {name} ({len(wanted)} rule(s))")
            if not check_mode:
                if wanted:
                    client.set_lifecycle(name, wanted)
                else:
                    client.delete_lifecycle(name)


def _user(client: Client, user: Mapping[str, Any], result: Result, check_mode: bool) -> None:
    key, secret = user["access_key"], user["secret_key"]
    policy = policy_name(key)
    document = bucket_policy(user["buckets"], user.get("access") or "read_write")
    if normalize_policy(client.get_policy(policy)) != normalize_policy(document):
        result.changes.append(f"write policy {policy}")
        if not check_mode:
            client.put_policy(policy, document)
    current = client.get_user(key)
    if current is None:
        result.changes.append(f"create user {key}")
        if not check_mode:
            client.add_user(key, secret)
        current = {"policies": [], "enabled": True}
    elif not client.credentials_valid(key, secret):
        result.changes.append(f"reset the secret key of user {key}")
        if not check_mode:
            client.add_user(key, secret)  # MinIO's AddUser replaces the secret of an existing user
    if not current.get("enabled", True):
        result.changes.append(f"enable user {key}")
        if not check_mode:
            client.enable_user(key)
    attached = set(current.get("policies") or [])
    extra = sorted(attached - {policy})
    if policy not in attached:
        result.changes.append(f"attach policy {policy} to {key}")
        if not check_mode:
            client.attach_policies(key, [policy])
    if extra:
        result.changes.append(f"detach policies {extra} from {key}")
        if not check_mode:
            client.detach_policies(key, extra)
