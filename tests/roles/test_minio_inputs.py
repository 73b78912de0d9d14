"""Bad inputs stop roles/minio before any host is contacted (the hosts below do not exist: had
validation let anything through, the next task would fail as "unreachable" instead)."""

import pytest

from lab import role_play


def run_role(tmp_path, extra_vars):
    hosts = {f"nowhere-minio{i}": {} for i in (1, 2)}
    variables = {
        "minio_cluster_group": "minio",
        "minio_drives": ["/srv/minio/disk1", "/srv/minio/disk2"],
        "minio_root_password": "from-the-vault-1",
        **extra_vars,
    }
    return role_play.run_role(tmp_path, "minio", "minio", hosts, variables)


@pytest.mark.parametrize(
    ("extra", "message", "hidden"),
    [
        (
            {"minio_root_password": "first line\nsecond line"},
            "minio_root_password contains a newline",
            "second line",
        ),
        (
            {"minio_extra_env": {"MINIO_X": "one\rtwo"}},
            "minio_extra_env.MINIO_X contains a carriage return",
            "two",
        ),
    ],
)
def test_values_an_environment_file_cannot_carry_are_refused_unseen(tmp_path, extra, message, hidden):
    rc, output = run_role(tmp_path, extra)
    assert rc != 0
    assert message in output, output[-3000:]
    assert hidden not in output
    assert "UNREACHABLE" not in output, "a host was contacted before validation stopped the play"


def test_good_inputs_pass_validation_and_reach_for_the_hosts(tmp_path):
    # The same play with a password systemd can carry gets past validation (quotes and all) and
    # stops at the next check, on the controller: the play's ../dist/minio artifact is missing.
    rc, output = run_role(tmp_path, {"minio_root_password": 'a "quoted" \\ pass $x'})
    assert rc != 0
    assert "minio.json is missing" in output, output[-3000:]
    assert "contains a newline" not in output
