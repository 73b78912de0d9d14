import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.minio_access import (
    MinioAccessError,
    bucket_policy,
    lifecycle_rules,
    normalize_policy,
    policy_name,
    reconcile,
)


class FakeMinio:
    """In-memory MinIO: the state a server would hold, and every write made to it."""

    def __init__(self):
        self.buckets = {}
        self.policies = {}
        self.users = {}
        self.writes = []

    def _write(self, *what):
        self.writes.append(what)

    def bucket_exists(self, name):
        return name in self.buckets

    def make_bucket(self, name):
        self._write("make_bucket", name)
        self.buckets[name] = {"versioning": "Off", "lifecycle": []}

    def get_versioning(self, name):
        return self.buckets[name]["versioning"]

    def set_versioning(self, name, enabled):
        self._write("set_versioning", name, enabled)
        self.buckets[name]["versioning"] = "Enabled" if enabled else "Suspended"

    def get_lifecycle(self, name):
        return list(self.buckets[name]["lifecycle"])

    def set_lifecycle(self, name, rules):
        self._write("set_lifecycle", name)
        self.buckets[name]["lifecycle"] = list(rules)

    def delete_lifecycle(self, name):
        self._write("delete_lifecycle", name)
        self.buckets[name]["lifecycle"] = []

    def get_policy(self, name):
        # MinIO answers with the document wrapped and its lists in its own order.
        doc = self.policies.get(name)
        if doc is None:
            return None
        reordered = {"Version": doc["Version"], "Statement": [dict(s) for s in reversed(doc["Statement"])]}
        for statement in reordered["Statement"]:
            statement["Action"] = list(reversed(statement["Action"]))
        return {"PolicyName": name, "Policy": reordered}

    def put_policy(self, name, document):
        self._write("put_policy", name)
        self.policies[name] = document

    def get_user(self, key):
        user = self.users.get(key)
        return None if user is None else {"policies": list(user["policies"]), "enabled": user["enabled"]}

    def add_user(self, key, secret):
        self._write("add_user", key)
        user = self.users.setdefault(key, {"policies": [], "enabled": True})
        user["secret"] = secret
        user["enabled"] = True

    def enable_user(self, key):
        self._write("enable_user", key)
        self.users[key]["enabled"] = True

    def credentials_valid(self, key, secret):
        return key in self.users and self.users[key]["secret"] == secret

    def attach_policies(self, key, policies):
        self._write("attach", key, tuple(policies))
        self.users[key]["policies"] += policies

    def detach_policies(self, key, policies):
        self._write("detach", key, tuple(policies))
        self.users[key]["policies"] = [p for p in self.users[key]["policies"] if p not in policies]


BUCKETS = [
    {
        "name": "sinpluma-images",
        "versioning": True,
        "lifecycle": [{"id": "tmp", "prefix": "tmp/", "expiration_days": 1}],
    },
    {"name": "sinpluma-backups"},
]
USERS = [{"access_key": "sinpluma-api", "secret_key": "s3cr3t-key-1", "buckets": ["sinpluma-images"]}]


def test_first_run_creates_everything_and_second_changes_nothing():
    server = FakeMinio()
    first = reconcile(server, BUCKETS, USERS)
    assert first.changes == [
        "create bucket sinpluma-images",
        "enable versioning on sinpluma-images",
        "set lifecycle of sinpluma-images (1 rule(s))",
        "create bucket sinpluma-backups",
        "write policy sinpluma-api-buckets",
        "create user sinpluma-api",
        "attach policy sinpluma-api-buckets to sinpluma-api",
    ]
    writes = len(server.writes)
    second = reconcile(server, BUCKETS, USERS)
    assert not second.changed
    assert len(server.writes) == writes


def test_check_mode_reports_without_writing():
    server = FakeMinio()
    result = reconcile(server, BUCKETS, USERS, check_mode=True)
    assert "create user sinpluma-api" in result.changes
    assert server.writes == []


def test_user_policy_is_limited_to_its_buckets():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    policy = server.policies[policy_name("sinpluma-api")]
    resources = {r for s in policy["Statement"] for r in s["Resource"]}
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert resources == {"arn:aws:s3:::sinpluma-images", "arn:aws:s3:::sinpluma-images/*"}
    assert not any("*" in a or a.startswith("admin:") for a in actions)
    assert {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"} <= actions


def test_read_only_policy_cannot_write():
    actions = {a for s in bucket_policy(["b1"], "read_only")["Statement"] for a in s["Action"]}
    assert "s3:PutObject" not in actions and "s3:DeleteObject" not in actions
    with pytest.raises(MinioAccessError):
        bucket_policy(["b1"], "admin")


def test_changed_secret_is_reset_and_foreign_policy_detached():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    server.users["sinpluma-api"]["secret"] = "rotated-by-hand"  # noqa: S105 - a fake server
    server.users["sinpluma-api"]["policies"].append("readwrite")
    result = reconcile(server, BUCKETS, USERS)
    assert result.changes == [
        "reset the secret key of user sinpluma-api",
        "detach policies ['readwrite'] from sinpluma-api",
    ]
    assert server.users["sinpluma-api"]["policies"] == ["sinpluma-api-buckets"]


def test_disabled_user_is_enabled():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    server.users["sinpluma-api"]["enabled"] = False
    assert reconcile(server, BUCKETS, USERS).changes == ["enable user sinpluma-api"]


def test_policy_drift_is_rewritten():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    server.policies["sinpluma-api-buckets"] = bucket_policy(["sinpluma-images", "sinpluma-backups"])
    assert reconcile(server, BUCKETS, USERS).changes == ["write policy sinpluma-api-buckets"]


def test_versioning_and_lifecycle_left_alone_when_not_declared():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    server.buckets["sinpluma-backups"]["versioning"] = "Enabled"
    assert not reconcile(server, BUCKETS, USERS).changed


def test_lifecycle_emptied_and_versioning_suspended_when_declared_so():
    server = FakeMinio()
    reconcile(server, BUCKETS, USERS)
    buckets = [{"name": "sinpluma-images", "versioning": False, "lifecycle": []}]
    assert reconcile(server, buckets, USERS).changes == [
        "suspend versioning on sinpluma-images",
        "set lifecycle of sinpluma-images (0 rule(s))",
    ]
    assert ("delete_lifecycle", "sinpluma-images") in server.writes


def test_user_on_undeclared_bucket_is_refused():
    with pytest.raises(MinioAccessError, match="undeclared buckets"):
        reconcile(FakeMinio(), BUCKETS, [USERS[0] | {"buckets": ["elsewhere"]}])


def test_normalize_policy_ignores_order_and_wrapping():
    doc = bucket_policy(["a", "b"])
    wrapped = {"Policy": {"Version": "2012-10-17", "Statement": list(reversed(doc["Statement"]))}}
    assert normalize_policy(wrapped) == normalize_policy(doc)
    assert normalize_policy(None) is None


def test_lifecycle_rules_are_checked_and_sorted():
    rules = lifecycle_rules(
        [{"id": "b", "expiration_days": 3}, {"id": "a", "noncurrent_expiration_days": "7"}]
    )
    assert [r["id"] for r in rules] == ["a", "b"]
    assert rules[0]["noncurrent_expiration_days"] == 7
    with pytest.raises(MinioAccessError, match="sets no expiration"):
        lifecycle_rules([{"id": "x"}])
    with pytest.raises(MinioAccessError, match="unique"):
        lifecycle_rules([{"id": "x", "expiration_days": 1}, {"id": "x", "expiration_days": 2}])
    with pytest.raises(MinioAccessError, match="at least 1 day"):
        lifecycle_rules([{"id": "x", "expiration_days": -1}])
