import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.mysql_grants import (
    GrantSpecError,
    grant_changes,
    parse_show_grants,
    quote_account,
    wanted_grants,
)

SHOWN = [
    "GRANT USAGE ON *.* TO `app`@`%`",
    "GRANT SELECT, INSERT, UPDATE ON `sinpluma`.* TO `app`@`%`",
    "GRANT BACKUP_ADMIN,CLONE_ADMIN ON *.* TO `app`@`%`",
    "GRANT `some_role`@`%` TO `app`@`%`",
]


def test_parse_show_grants_merges_static_and_dynamic():
    assert parse_show_grants(SHOWN) == {
        "sinpluma.*": {"SELECT", "INSERT", "UPDATE"},
        "*.*": {"BACKUP_ADMIN", "CLONE_ADMIN"},
    }


def test_changes_grant_missing_and_revoke_extra():
    wanted = wanted_grants({"sinpluma.*": ["select", "insert", "update", "delete"]})
    statements = grant_changes(parse_show_grants(SHOWN), wanted, quote_account("app", "%"))
    assert statements == [
        "REVOKE BACKUP_ADMIN, CLONE_ADMIN ON *.* FROM 'app'@'%'",
        "GRANT DELETE ON `sinpluma`.* TO 'app'@'%'",
    ]


def test_no_changes_when_equal():
    current = parse_show_grants(SHOWN[:2])
    assert (
        grant_changes(current, wanted_grants({"`sinpluma`.*": ["SELECT", "INSERT", "UPDATE"]}), "'a'@'%'")
        == []
    )


def test_all_is_all_privileges():
    current = {"db.*": {"ALL PRIVILEGES"}}
    assert grant_changes(current, wanted_grants({"db.*": ["ALL"]}), "'a'@'%'") == []


@pytest.mark.parametrize("spec", [{"db;drop.*": ["SELECT"]}, {"db.*": ["SELECT; DROP"]}, {"db": ["SELECT"]}])
def test_unsafe_specs_are_refused(spec):
    with pytest.raises(GrantSpecError):
        wanted_grants(spec)


def test_quotes_in_account_are_refused():
    with pytest.raises(GrantSpecError):
        quote_account("a'b", "%")


def test_loop_failures_lists_only_the_failed_items_messages():
    from ansible_collections.sinpluma.toolkit.plugins.filter.results import loop_failures

    registered = {"results": [{"changed": True}, {"failed": True, "msg": "'app'@'%' needs GRANT SELECT"}]}
    assert loop_failures(registered) == ["'app'@'%' needs GRANT SELECT"]
    assert loop_failures({"results": [{"changed": False}]}) == []
