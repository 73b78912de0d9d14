import pytest

from lab import hosts

FULL = "CapBnd:\t000001ffffffffff\n"
NO_SYS_RESOURCE = "CapPrm:\t0\nCapBnd:\t000001fffeffffff\n"


def test_full_bounding_set_runs_privileged():
    assert hosts.privilege_args(FULL) == ["--privileged"]


def test_missing_capability_lists_the_rest_explicitly():
    args = hosts.privilege_args(NO_SYS_RESOURCE)
    caps = args[1::2]
    assert "--privileged" not in args
    assert set(args[0::2]) == {"--cap-add"}
    assert "SYS_RESOURCE" not in caps
    assert {"SYS_ADMIN", "NET_ADMIN", "AUDIT_READ", "CHOWN"} <= set(caps)
    assert not set(caps) & hosts.NOT_LISTED


def test_status_without_capbnd_is_an_error():
    with pytest.raises(ValueError):
        hosts.bounding_capabilities("Name: x\n")


def test_cgroup_layout_pure_v2(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("cpu memory\n")
    assert hosts.cgroup_mount(tmp_path) == str(tmp_path)


def test_cgroup_layout_hybrid(tmp_path):
    (tmp_path / "unified").mkdir()
    (tmp_path / "unified" / "cgroup.controllers").write_text("")
    assert hosts.cgroup_mount(tmp_path) == str(tmp_path / "unified")


def test_cgroup_v1_only_is_refused(tmp_path):
    (tmp_path / "memory").mkdir()
    with pytest.raises(RuntimeError, match="cgroup v2"):
        hosts.cgroup_mount(tmp_path)


def test_run_args_boot_systemd_with_host_cgroup2():
    spec = hosts.HostSpec("db1", "sid", ("net-a", "net-b"), {"role": "db"})
    args = hosts.run_args(spec, "/sys/fs/cgroup/unified", ["--privileged"])
    joined = " ".join(args)
    assert "--volume /sys/fs/cgroup/unified:/sys/fs/cgroup:rw" in joined
    assert "--cgroupns host" in joined
    assert "--network net-a" in joined and "net-b" not in joined  # later networks are connected after
    assert args[-1] == "/lib/systemd/systemd"
    assert "--label role=db" in joined
