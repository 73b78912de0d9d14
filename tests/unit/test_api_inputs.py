"""roles/api input checks (module_utils/api_inputs.py): named variables, never a secret's value."""

from ansible_collections.sinpluma.toolkit.plugins.module_utils.api_inputs import errors

GROUPS = {"all": ["api-1", "router-1"], "api": ["api-1"], "mysql_router": ["router-1"]}
GOOD = {
    "api_db_password": "a" * 24,
    "api_db_migration_password": "b" * 24,
    "api_redis_password": "c" * 24,
    "api_minio_secret_key": "d" * 24,
    "api_jwt_secret": "e" * 40,
    "api_db_router": "local",
    "api_db_router_group": "mysql_router",
    "api_redis_host": "redis-1",
    "api_minio_endpoint": "minio-1:9000",
    "api_cleanup_host": "api-1",
}


def test_good_inputs_pass():
    assert errors(GOOD, GROUPS) == []


def test_missing_secrets_are_named_and_a_short_jwt_secret_is_refused_without_its_value():
    values = {**GOOD, "api_jwt_secret": "short-secret"}
    del values["api_db_password"]
    found = errors(values, GROUPS)
    assert found == [
        "api_db_password is required (a vault variable)",
        "api_jwt_secret must be at least 32 characters",
    ]
    assert not any("short-secret" in message for message in found)


def test_router_choice_and_group_are_checked():
    assert errors({**GOOD, "api_db_router": "remote"}, GROUPS) == [
        "api_db_router must be local or group, not 'remote'"
    ]
    assert errors({**GOOD, "api_db_router": "group", "api_db_router_group": "routers"}, GROUPS) == [
        "api_db_router_group 'routers' has no hosts"
    ]
    assert errors({**GOOD, "api_db_router": "group"}, GROUPS) == []


def test_endpoints_and_the_cleanup_host_are_checked():
    found = errors(
        {**GOOD, "api_redis_host": "", "api_minio_endpoint": "http://minio", "api_cleanup_host": "x"}, GROUPS
    )
    assert found == [
        "api_redis_host is empty (no redis group in the inventory?)",
        "api_minio_endpoint must be host:port, not 'http://minio'",
        "api_cleanup_host 'x' is not an inventory host",
    ]
