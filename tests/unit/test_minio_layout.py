import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.minio_layout import (
    MinioLayoutError,
    cluster_layout,
    default_parity,
    drives_by_node,
    input_errors,
    layout,
    pool_restart_refusal,
    sequence,
    set_size,
)

DISKS = ["/srv/minio/disk1", "/srv/minio/disk2"]
NODES = ["minio-dist-1", "minio-dist-2", "minio-dist-3", "minio-dist-4"]
GOOD = {
    "root_user": "minioadmin",
    "root_password": "x" * 32,
    "drives": ["/srv/minio/disk1"],
    "buckets": [{"name": "sinpluma-images"}],
    "users": [{"access_key": "sinpluma-api", "secret_key": "y" * 16, "buckets": ["sinpluma-images"]}],
}


def test_single_drive_is_plain_path_without_erasure():
    result = layout(["localhost"], ["/srv/minio/disk1"])
    assert result["mode"] == "single-drive"
    assert result["volumes"] == "/srv/minio/disk1"
    assert result["parity"] == 0


def test_single_node_multi_drive_uses_ellipses_and_one_set():
    result = layout(["localhost"], [f"/srv/minio/disk{i}" for i in range(1, 5)])
    assert result["volumes"] == "/srv/minio/disk{1...4}"
    assert (result["mode"], result["set_size"], result["sets"], result["parity"]) == ("multi-drive", 4, 1, 2)


def test_distributed_sequential_names_use_minio_notation():
    result = layout(NODES, DISKS)
    assert result["volumes"] == "http://minio-dist-{1...4}:9000/srv/minio/disk{1...2}"
    assert (result["drives_total"], result["set_size"], result["parity"]) == (8, 8, 4)
    # 8 drives, EC:4: one node (2 drives) down leaves 6 >= write quorum 5.
    assert result["write_quorum"] == 5


def test_distributed_irregular_names_list_every_drive_spread_over_nodes():
    result = layout(["db-b", "db-a"], DISKS, port=9100, scheme="https")
    assert result["volumes"].split() == [
        "https://db-a:9100/srv/minio/disk1",
        "https://db-b:9100/srv/minio/disk1",
        "https://db-a:9100/srv/minio/disk2",
        "https://db-b:9100/srv/minio/disk2",
    ]


def test_sequence_requires_consecutive_numbers_and_one_prefix():
    assert sequence(["n3", "n1", "n2"]) == ("n", "1", "3", "")
    assert sequence(["n1", "n3"]) is None
    assert sequence(["a1", "b2"]) is None
    assert sequence(["n01", "n02"]) == ("n", "01", "02", "")


@pytest.mark.parametrize(
    ("total", "expected"), [(2, 2), (4, 4), (8, 8), (16, 16), (32, 16), (18, 9), (20, 10)]
)
def test_set_size_is_largest_supported_divisor(total, expected):
    assert set_size(total) == expected


@pytest.mark.parametrize("total", [17, 19, 23, 37])
def test_drive_counts_erasure_coding_cannot_use_are_refused(total):
    with pytest.raises(MinioLayoutError, match="divisible by a set size between 2 and 16"):
        set_size(total)


def test_message_suggests_usable_counts():
    with pytest.raises(MinioLayoutError, match="16 or 18"):
        layout(["localhost"], [f"/d{i}" for i in range(17)])


def test_symmetry_over_nodes_as_minio_checks_it():
    # 3 nodes x 6 drives: sets of 9 (a multiple of the 3 nodes) are symmetric, so MinIO keeps them.
    assert set_size(18, symmetry_with=3) == 9
    # 5 nodes x 2 drives: 10 is allowed; 17 nodes x 2 drives: only sets of 2, which 17 nodes
    # cannot share evenly.
    assert set_size(10, symmetry_with=5) == 10
    with pytest.raises(MinioLayoutError, match="symmetrically"):
        set_size(34, symmetry_with=17)


@pytest.mark.parametrize(("size", "parity"), [(1, 0), (2, 1), (3, 1), (4, 2), (6, 3), (8, 4), (16, 4)])
def test_default_parity_matches_minio(size, parity):
    assert default_parity(size) == parity


def test_cluster_needs_same_drives_on_every_node():
    drives = {n: DISKS for n in NODES} | {"minio-dist-3": DISKS[:1]}
    with pytest.raises(MinioLayoutError, match=r"same drives.*minio-dist-3"):
        cluster_layout(NODES, drives)


def test_cluster_of_one_node_is_refused():
    with pytest.raises(MinioLayoutError, match="at least 2 nodes"):
        cluster_layout(["m1"], {"m1": DISKS})


def test_drive_paths_are_checked():
    with pytest.raises(MinioLayoutError, match="absolute"):
        layout(["localhost"], ["srv/minio"])
    with pytest.raises(MinioLayoutError, match="twice"):
        layout(["localhost"], ["/a", "/a"])
    with pytest.raises(MinioLayoutError, match="empty"):
        layout(["localhost"], [])


def test_good_inputs_have_no_error():
    assert input_errors(GOOD) == []


def test_missing_root_password_is_a_clear_error():
    errors = input_errors(GOOD | {"root_password": None})
    assert errors == [
        "minio_root_password is not set: define it in the vault "
        "(inventories/<env>/group_vars/<group>/vault.yml); the role has no default secret"
    ]


def test_short_secrets_and_bad_names_are_errors():
    errors = input_errors(
        GOOD
        | {
            "root_password": "short",
            "buckets": [{"name": "Images_Bucket"}],
            "users": [{"access_key": "ap", "secret_key": "", "buckets": ["nope"]}],
        }
    )
    text = "\n".join(errors)
    assert "at least 8 characters" in text
    assert "'Images_Bucket' is not a valid S3 bucket name" in text
    assert "'ap' must be 3-128" in text
    assert "user 'ap' has no secret_key" in text
    assert "does not declare: ['nope']" in text


def test_unusable_cluster_drive_count_is_an_input_error():
    nodes = [f"m{i}" for i in range(1, 18)]
    errors = input_errors(GOOD | {"nodes": nodes, "drives_by_node": {n: ["/d1"] for n in nodes}})
    assert len(errors) == 1 and "17 drives" in errors[0]


def test_drives_by_node_uses_host_override_else_default():
    assert drives_by_node(["a", "b"], {"a": {"minio_drives": ["/x"]}, "b": {}}, ["/d"]) == {
        "a": ["/x"],
        "b": ["/d"],
    }


def test_secrets_an_environment_file_cannot_carry_are_input_errors():
    values = {
        "root_user": "sinpluma-root",
        "root_password": "long enough\nsecond line",
        "drives": ["/srv/minio/disk1"],
        "extra_env": {"MINIO_X": "a\rb", "MINIO_Y": 'fine "quoted" \\ $value'},
    }
    errors = input_errors(values)
    assert errors == [
        "minio_root_password contains a newline, which systemd's EnvironmentFile= cannot carry",
        "minio_extra_env.MINIO_X contains a carriage return, which systemd's EnvironmentFile= cannot carry",
    ]
    assert not any("second line" in e for e in errors)


def test_a_pool_change_with_nodes_outside_the_play_is_refused_naming_them():
    message = pool_restart_refusal(NODES, ["minio-dist-1", "api-1"], {"minio-dist-1": ["the binary"]})
    assert message.startswith("refusing to change the binary of the MinIO pool on minio-dist-1 while ")
    assert "while minio-dist-2, minio-dist-3, minio-dist-4 are not in the play" in message


def test_every_reason_is_named_once():
    reasons = {"minio-dist-1": ["the binary", "the environment file"], "minio-dist-2": ["the binary"]}
    message = pool_restart_refusal(NODES, ["minio-dist-1", "minio-dist-2", "minio-dist-3"], reasons)
    assert (
        "change the binary and the environment file of the MinIO pool on minio-dist-1, minio-dist-2 "
        "while minio-dist-4 is not in the play" in message
    )


@pytest.mark.parametrize(
    ("play", "reasons"),
    [
        (NODES, {"minio-dist-1": ["the binary"]}),  # the whole pool is in the play
        (["minio-dist-1"], {"minio-dist-1": []}),  # nothing restarts
        (["minio-dist-1"], {}),
    ],
)
def test_a_play_that_restarts_nothing_or_the_whole_pool_goes_on(play, reasons):
    assert pool_restart_refusal(NODES, play, reasons) is None


def test_a_standalone_node_is_never_refused():
    assert pool_restart_refusal(["solo"], ["solo"], {"solo": ["the binary"]}) is None
