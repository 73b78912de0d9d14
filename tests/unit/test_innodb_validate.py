from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_validate import validate

HOSTS = {f"db{i}": f"db{i}.lab" for i in range(1, 11)}
PASSWORDS = {"innodb_cluster_admin_password": "x", "innodb_cluster_recovery_password": "y"}


def members(n):
    return [f"db{i}" for i in range(1, n + 1)]


def test_three_members_are_fine():
    assert validate(members(3), "db1", HOSTS, PASSWORDS) == ([], [])


def test_more_than_nine_members_is_an_error():
    errors, _ = validate(members(10), "db1", HOSTS, PASSWORDS)
    assert any("at most 9" in e for e in errors)


def test_fewer_than_three_needs_acknowledgement():
    errors, _ = validate(members(2), "db1", HOSTS, PASSWORDS)
    assert any("innodb_cluster_allow_fewer_than_three" in e for e in errors)
    assert validate(members(1), "db1", HOSTS, PASSWORDS, allow_fewer_than_three=True)[0] == []


def test_even_count_warns():
    errors, warnings = validate(members(4), "db1", HOSTS, PASSWORDS)
    assert errors == [] and "even count" in warnings[0]


def test_missing_password_is_named():
    errors, _ = validate(members(3), "db1", HOSTS, {**PASSWORDS, "innodb_cluster_recovery_password": ""})
    assert errors == ["missing secrets (set them in the vault): innodb_cluster_recovery_password"]


def test_seed_outside_the_group():
    errors, _ = validate(members(3), "db7", HOSTS, PASSWORDS)
    assert any("seed 'db7' is not one of the members" in e for e in errors)


def test_duplicate_report_host():
    errors, _ = validate(members(3), "db1", {**HOSTS, "db3": "db1.lab"}, PASSWORDS)
    assert errors == ["report_host must be unique per member; shared: db1.lab (db1, db3)"]


def test_server_id_is_stable_and_never_0_or_1():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_validate import server_id

    assert server_id("lab-db1") == server_id("lab-db1")
    assert server_id("lab-db1") != server_id("lab-db2")
    assert all(server_id(f"h{i}") >= 1000 for i in range(200))


def test_shared_server_id_is_an_error():
    errors, _ = validate(members(3), "db1", HOSTS, PASSWORDS, server_ids={"db1": 7, "db2": 7, "db3": 8})
    assert errors == ["server_id 7 is shared by db1, db2"]


def test_uuid_copies_keep_the_member_with_history():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_validate import uuid_copies

    identities = {"db1": ("u1", False), "db2": ("u1", True), "db3": ("u1", False), "db4": ("u4", False)}
    assert uuid_copies(identities, ["db1", "db2", "db3", "db4"]) == ["db1", "db3"]
    assert uuid_copies({"db1": ("u", False), "db2": ("u", False)}, ["db1", "db2"]) == ["db2"]
