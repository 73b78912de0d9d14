"""roles/common, verified on the running lab hosts."""

testinfra_hosts = ["ansible://all"]


def test_hostname_is_inventory_name(host):
    assert host.check_output("hostname") == host.backend.get_hostname()


def test_every_inventory_host_resolves(host):
    for name in ("common-sid", "common-trixie", "common-bookworm"):
        assert host.run(f"getent hosts {name}").rc == 0, name


def test_journal_is_persistent(host):
    assert host.file("/var/log/journal").is_directory
    assert "Storage=persistent" in host.file("/etc/systemd/journald.conf.d/sinpluma.conf").content_string
    journal_dirs = host.check_output("ls /var/log/journal")
    assert journal_dirs.strip(), "journald wrote nothing to /var/log/journal"


def test_timesyncd_is_enabled(host):
    assert host.service("systemd-timesyncd").is_enabled


def test_system_is_running(host):
    assert host.run("systemctl is-system-running").stdout.strip() == "running"


def test_firewall_denies_by_default(host):
    ruleset = host.check_output("nft list table inet sinpluma")
    assert "policy drop" in ruleset
    assert host.service("nftables").is_enabled
