"""Where an account change may be made: the decision table of mysql_account."""

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils import mysql_account_plan as plan

ALONE = plan.Membership("", "")
PRIMARY = plan.Membership("ONLINE", "PRIMARY")
SECONDARY = plan.Membership("ONLINE", "SECONDARY")
RECOVERING = plan.Membership("RECOVERING", "SECONDARY")


@pytest.mark.parametrize("membership", [ALONE, PRIMARY, SECONDARY])
@pytest.mark.parametrize("replicate", [False, True])
def test_an_account_as_wanted_needs_nothing(membership, replicate):
    assert plan.decide(set(), membership, replicate) == plan.NOTHING


def test_a_server_in_no_group_is_changed_locally():
    assert plan.decide({plan.CREATE, plan.GRANT}, ALONE, replicate=False) == plan.LOCAL


def test_a_password_rotation_is_made_once_on_the_primary_and_awaited_elsewhere():
    assert plan.decide({plan.PASSWORD}, PRIMARY, replicate=False) == plan.ROTATE
    assert plan.decide({plan.PASSWORD}, SECONDARY, replicate=False) == plan.AWAIT_ROTATION
    assert plan.decide({plan.PASSWORD}, RECOVERING, replicate=False) == plan.AWAIT_ROTATION


@pytest.mark.parametrize("kinds", [{plan.GRANT}, {plan.PASSWORD, plan.GRANT}, {plan.SSL}, {plan.DISCARD}])
@pytest.mark.parametrize("membership", [PRIMARY, SECONDARY])
def test_any_other_difference_on_a_member_is_drift(kinds, membership):
    assert plan.decide(kinds, membership, replicate=False) == plan.REFUSE_DRIFT


def test_replicated_changes_only_on_the_online_primary():
    assert plan.decide({plan.GRANT, plan.DISCARD}, PRIMARY, replicate=True) == plan.REPLICATED
    for membership in (SECONDARY, RECOVERING, ALONE, plan.Membership("RECOVERING", "PRIMARY")):
        assert plan.decide({plan.GRANT}, membership, replicate=True) == plan.REFUSE_NOT_PRIMARY


def test_the_password_statement_retains_the_old_one_on_request():
    account = "'clusteradmin'@'%'"
    assert plan.password_statement(account, False) == "ALTER USER 'clusteradmin'@'%' IDENTIFIED BY %s"
    assert plan.password_statement(account, True).endswith("IDENTIFIED BY %s RETAIN CURRENT PASSWORD")


def test_described_statements_show_no_secret():
    shown = plan.describe(
        [
            ("CREATE USER 'a'@'%' IDENTIFIED WITH caching_sha2_password BY %s REQUIRE SSL", ("s3cret",)),
            (plan.password_statement("'a'@'%'", True), ("s3cret",)),
            ("GRANT SELECT ON *.* TO 'a'@'%'", ()),
        ]
    )
    assert shown == [
        "CREATE USER 'a'@'%' (password)",
        "ALTER USER 'a'@'%' (password) RETAIN CURRENT PASSWORD",
        "GRANT SELECT ON *.* TO 'a'@'%'",
    ]
    assert not any("s3cret" in line for line in shown)
