import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_config import (
    ConfigError,
    extra_settings_errors,
    parse_mysqld_section,
    plan_changes,
    restart_order,
    set_global_statements,
    sql_literal,
)

OLD = """\
# managed
[mysqld]
bind-address = 0.0.0.0
port = 3306
super_read_only = ON
skip_name_resolve
plugin_load_add = group_replication.so
plugin_load_add = mysql_clone.so
group_replication_group_seeds = db1:3306,db2:3306,db3:3306
group_replication_member_expel_timeout = 0
innodb_buffer_pool_size = 256M
[client]
port = 3307
"""


def test_mysqld_section_is_read_with_normalised_names():
    settings = parse_mysqld_section(OLD)
    assert settings["bind_address"] == "0.0.0.0"  # noqa: S104 (a parsed value)
    assert settings["skip_name_resolve"] == "ON"
    assert settings["plugin_load_add"] == "group_replication.so,mysql_clone.so"
    assert settings["port"] == "3306"  # the [client] section does not leak in


def test_growing_the_cluster_changes_the_seeds_live_without_a_restart():
    new = OLD.replace("db3:3306", "db3:3306,db4:3306")
    assert plan_changes(OLD, new) == {
        "live": {"group_replication_group_seeds": "db1:3306,db2:3306,db3:3306,db4:3306"},
        "restart": [],
    }


def test_a_static_setting_restarts_and_a_live_one_in_the_same_change_is_set_live():
    new = OLD.replace("port = 3306", "port = 3307").replace("expel_timeout = 0", "expel_timeout = 5")
    assert plan_changes(OLD, new) == {
        "live": {"group_replication_member_expel_timeout": "5"},
        "restart": ["port"],
    }


def test_added_and_removed_settings_restart():
    new = OLD.replace("skip_name_resolve\n", "") + "[mysqld]\ninnodb_read_io_threads = 8\n"
    assert plan_changes(OLD, new)["restart"] == ["innodb_read_io_threads", "skip_name_resolve"]


def test_first_rendering_is_a_restart_and_no_change_is_nothing():
    assert plan_changes("", OLD)["restart"]
    assert plan_changes(OLD, OLD) == {"live": {}, "restart": []}


@pytest.mark.parametrize(
    ("value", "literal"),
    [("256M", "268435456"), ("2G", "2147483648"), ("300", "300"), ("ON", "ON"),
     ("OFFLINE_MODE", "OFFLINE_MODE"), ("db1:3306,db2:3306", "'db1:3306,db2:3306'"), ("it's", "'it''s'")],
)  # fmt: skip
def test_values_become_sql_literals(value, literal):
    assert sql_literal(value) == literal


def test_unsafe_values_and_names_are_refused():
    with pytest.raises(ConfigError):
        sql_literal("a\\b")
    with pytest.raises(ConfigError):
        set_global_statements({"x; DROP": "1"})
    assert set_global_statements({"max_connections": "500"}) == ["SET GLOBAL max_connections = 500"]


def test_restart_order_puts_the_primary_last_and_skips_unchanged_members():
    roles = {"db1": "PRIMARY", "db2": "SECONDARY", "db3": "SECONDARY", "db4": ""}
    needs = {"db1": True, "db2": True, "db3": False, "db4": True}
    assert restart_order(["db1", "db2", "db3", "db4"], roles, needs) == ["db2", "db4", "db1"]


def test_extra_settings_must_be_one_line_settings():
    assert extra_settings_errors({"innodb_read_io_threads": 8, "skip-name-resolve": "ON"}) == []
    errors = extra_settings_errors({"x\ny": 1, "max_connections": "1\nbind-address=0"})
    assert len(errors) == 2
