"""The `Client` of minio_access.py over the MinIO Python SDK (`minio`, with MinioAdmin).

Kept to one call per method so that all decisions stay in minio_access.py, where they are
unit-tested. Imported only where the SDK is installed (the MinIO hosts' SDK virtualenv).
"""

from __future__ import annotations

import json
from typing import Any

import urllib3
from minio import Minio
from minio.commonconfig import DISABLED, ENABLED, Filter
from minio.credentials import StaticProvider
from minio.error import MinioAdminException, S3Error
from minio.lifecycleconfig import (
    AbortIncompleteMultipartUpload,
    Expiration,
    LifecycleConfig,
    NoncurrentVersionExpiration,
    Rule,
)
from minio.minioadmin import MinioAdmin
from minio.versioningconfig import SUSPENDED, VersioningConfig

# S3 error codes of a request signed with unknown or wrong credentials.
_BAD_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId"}


def http_client(secure: bool, ca_file: str | None) -> urllib3.PoolManager:
    """Short timeouts and few retries: the module talks to a server on the same host."""
    options: dict[str, Any] = {
        "timeout": urllib3.Timeout(connect=5, read=60),
        "retries": urllib3.Retry(total=3, backoff_factor=0.5, status_forcelist=[500, 502, 503, 504]),
    }
    if secure:
        options["cert_reqs"] = "CERT_REQUIRED"
        if ca_file:
            options["ca_certs"] = ca_file
    return urllib3.PoolManager(**options)


class SdkClient:
    def __init__(self, endpoint: str, access_key: str, secret_key: str, secure: bool = False, ca_file=None):
        self._endpoint = endpoint
        self._secure = secure
        self._ca_file = ca_file
        self._s3 = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, http_client=self._http()
        )
        self._admin = MinioAdmin(
            endpoint=endpoint,
            credentials=StaticProvider(access_key, secret_key),
            secure=secure,
            http_client=self._http(),
        )

    def _http(self) -> urllib3.PoolManager:
        return http_client(self._secure, self._ca_file)

    # Buckets
    def bucket_exists(self, name: str) -> bool:
        return self._s3.bucket_exists(name)

    def make_bucket(self, name: str) -> None:
        self._s3.make_bucket(name)

    def get_versioning(self, name: str) -> str:
        return self._s3.get_bucket_versioning(name).status

    def set_versioning(self, name: str, enabled: bool) -> None:
        self._s3.set_bucket_versioning(name, VersioningConfig(ENABLED if enabled else SUSPENDED))

    def get_lifecycle(self, name: str) -> list[dict[str, Any]]:
        config = self._s3.get_bucket_lifecycle(name)
        rules = []
        for rule in config.rules if config else []:
            if rule.status == DISABLED:
                continue
            rules.append(
                {
                    "id": rule.rule_id,
                    "prefix": (rule.rule_filter.prefix if rule.rule_filter else "") or "",
                    "expiration_days": rule.expiration.days if rule.expiration else None,
                    "noncurrent_expiration_days": (
                        rule.noncurrent_version_expiration.noncurrent_days
                        if rule.noncurrent_version_expiration
                        else None
                    ),
                    "abort_incomplete_days": (
                        rule.abort_incomplete_multipart_upload.days_after_initiation
                        if rule.abort_incomplete_multipart_upload
                        else None
                    ),
                }
            )
        return rules

    def set_lifecycle(self, name: str, rules: list[dict[str, Any]]) -> None:
        config = LifecycleConfig(
            [
                Rule(
                    ENABLED,
                    rule_filter=Filter(prefix=rule["prefix"]),
                    rule_id=rule["id"],
                    expiration=Expiration(days=rule["expiration_days"]) if rule["expiration_days"] else None,
                    noncurrent_version_expiration=(
                        NoncurrentVersionExpiration(noncurrent_days=rule["noncurrent_expiration_days"])
                        if rule["noncurrent_expiration_days"]
                        else None
                    ),
                    abort_incomplete_multipart_upload=(
                        AbortIncompleteMultipartUpload(days_after_initiation=rule["abort_incomplete_days"])
                        if rule["abort_incomplete_days"]
                        else None
                    ),
                )
                for rule in rules
            ]
        )
        self._s3.set_bucket_lifecycle(name, config)

    def delete_lifecycle(self, name: str) -> None:
        self._s3.delete_bucket_lifecycle(name)

    # Policies and users
    def get_policy(self, name: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._admin.policy_info(name))
        except MinioAdminException as error:
            if _not_found(error):
                return None
            raise

    def put_policy(self, name: str, document: dict[str, Any]) -> None:
        self._admin.policy_add(name, policy=document)

    def get_user(self, access_key: str) -> dict[str, Any] | None:
        try:
            info = json.loads(self._admin.user_info(access_key))
        except MinioAdminException as error:
            if _not_found(error):
                return None
            raise
        names = info.get("policyName") or ""
        return {
            "policies": [p for p in names.split(",") if p],
            "enabled": info.get("status", "enabled") == "enabled",
        }

    def add_user(self, access_key: str, secret_key: str) -> None:
        self._admin.user_add(access_key, secret_key)

    def enable_user(self, access_key: str) -> None:
        self._admin.user_enable(access_key)

    def attach_policies(self, access_key: str, policies: list[str]) -> None:
        self._admin.attach_policy(policies, user=access_key)

    def detach_policies(self, access_key: str, policies: list[str]) -> None:
        self._admin.detach_policy(policies, user=access_key)

    def credentials_valid(self, access_key: str, secret_key: str) -> bool:
        """Whether the server accepts these credentials: any signed S3 call answers either with
        an authentication error or with a result (or AccessDenied, which needs valid keys)."""
        probe = Minio(
            self._endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=self._secure,
            http_client=self._http(),
        )
        try:
            probe.list_buckets()
        except S3Error as error:
            if error.code in _BAD_CREDENTIALS:
                return False
            if error.code == "AccessDenied":
                return True
            raise
        return True


def _not_found(error: MinioAdminException) -> bool:
    code = getattr(error, "_code", "")
    body = getattr(error, "_body", "") or ""
    return str(code) == "404" or "NoSuch" in body
