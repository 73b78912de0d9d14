"""Pool operations on the running minio-dist pool, each through the role's playbook: an upgrade
limited to part of the pool is refused before any host changes; the API user's secret rotates
under a client loop with no failed request and no restart; the root password rotates with one
restart of the whole pool, whose unavailability window is measured.

Runs after test_minio_dist.py (file order), with every node back in the pool."""

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import testinfra
from s3client import API_USER, ROOT_USER, SECRETS, s3, secret

NODES = ["minio-dist-1", "minio-dist-2", "minio-dist-3", "minio-dist-4"]
testinfra_hosts = ["ansible://minio-dist-api"]
SCENARIO = Path(__file__).resolve().parents[1]
ROOT = SCENARIO.parents[1]
OBJECT = "sinpluma-images/drills/probe.txt"
# Runs on the API host: one signed GET every 0.2 s, round robin over the nodes, with the current
# secret (the old one until MinIO refuses it, then the new one); one line per request.
LOOP = r"""
old=$1; new=$2; i=0
while [ ! -e /tmp/drill-stop ]; do
  n=$((i % 4 + 1)); i=$((i + 1))
  get() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 --aws-sigv4 aws:amz:us-east-1:s3 \
          --user "sinpluma-api:$1" "http://minio-dist-$n:9000/sinpluma-images/drills/probe.txt"; }
  t=$(date +%s.%N)
  if [ "$(get "$old")" = 200 ]; then echo "$t old"
  elif [ "$(get "$new")" = 200 ]; then echo "$t new"
  else echo "$t fail"; fi
  sleep 0.2
done
"""


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def playbook(*extra):
    """Run minio.yml with the repository's Ansible settings against the scenario's hosts;
    returns (rc, output, {host: changed count})."""
    inventory = Path(os.environ["MOLECULE_INVENTORY_FILE"]).parent
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(SCENARIO / "minio.yml"), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    recap = {h: int(c) for h, c in re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", result.stdout, re.M)}
    return result.returncode, result.stdout + result.stderr, recap


def pool_state():
    """Per node: sha256 of the binary, of the environment file, and MinIO's main PID."""
    return {
        name: node(name).check_output(
            "sha256sum /usr/local/bin/minio /etc/default/minio | cut -d' ' -f1 | tr '\\n' ' ';"
            " systemctl show -p MainPID --value minio"
        )
        for name in NODES
    }


@pytest.fixture
def client_loop(host):
    """Start LOOP on the API host with (old, new) secrets; stop() returns [(time, outcome)]."""
    host.run("rm -f /tmp/drill-stop /tmp/drill.log")
    host.check_output("cat > /tmp/drill.sh <<'EOF'\n%sEOF" % LOOP)  # noqa: UP031 (the script has % signs)

    def start(old, new):
        host.check_output("nohup sh /tmp/drill.sh %s %s > /tmp/drill.log 2>&1 &", old, new)
        time.sleep(2)

    def stop():
        host.check_output("touch /tmp/drill-stop; sleep 2")
        lines = host.check_output("cat /tmp/drill.log").splitlines()
        return [(float(t), outcome) for t, outcome in (line.split() for line in lines)]

    yield start, stop
    host.run("touch /tmp/drill-stop")


@pytest.fixture(scope="module", autouse=True)
def probe_object(host):
    assert s3(host, NODES[0], "PUT", OBJECT, API_USER, secret("minio_api"), data="sondeo")[0] == 200


def test_upgrade_limited_to_part_of_the_pool_is_refused_before_any_host_changes(tmp_path):
    # A new artifact: the same program with one more byte, so another sha256.
    artifact = tmp_path / "minio-artifact"
    artifact.mkdir()
    shutil.copyfile(ROOT / "dist" / "minio" / "minio", artifact / "minio")
    with (artifact / "minio").open("ab") as binary:
        binary.write(b"\0")
    record = json.loads((ROOT / "dist" / "minio" / "minio.json").read_text())
    record["sha256"] = hashlib.sha256((artifact / "minio").read_bytes()).hexdigest()
    (artifact / "minio.json").write_text(json.dumps(record))
    (artifact / "sdk").symlink_to(ROOT / "dist" / "minio" / "sdk")
    before = pool_state()

    rc, output, recap = playbook("--limit", "minio-dist-1", "-e", f"minio_artifact_dir={artifact}")

    assert rc != 0
    assert (
        "refusing to change the binary of the MinIO pool on minio-dist-1 while minio-dist-2, "
        "minio-dist-3, minio-dist-4 are not in the play"
    ) in output, output[-3000:]
    assert recap == {"minio-dist-1": 0}, output[-3000:]
    assert pool_state() == before


def test_api_secret_rotates_with_no_failed_request_and_no_restart(host, client_loop):
    start, stop = client_loop
    old, new = secret("minio_api"), secrets.token_hex(16)
    before = pool_state()
    start(old, new)
    (SECRETS / "minio_api").write_text(new + "\n")  # the vault value changes

    rc, output, recap = playbook()

    outcomes = [outcome for _, outcome in stop()]
    assert rc == 0, output[-3000:]
    assert recap["minio-dist-1"] > 0  # the access module reset the secret
    assert "fail" not in outcomes, outcomes
    assert "old" in outcomes and "new" in outcomes, outcomes
    assert "old" not in outcomes[outcomes.index("new") :], "the old secret worked again after the switch"
    assert s3(host, NODES[1], "GET", OBJECT, API_USER, new) == (200, "sondeo")
    assert s3(host, NODES[1], "GET", OBJECT, API_USER, old)[0] == 403
    assert pool_state() == before  # MinIO stayed up: no node restarted


def test_root_password_rotates_with_one_restart_of_the_whole_pool(host, client_loop):
    start, stop = client_loop
    api = secret("minio_api")
    old_root, new_root = secret("minio_root"), secrets.token_hex(16)
    before = pool_state()
    start(api, api)
    (SECRETS / "minio_root").write_text(new_root + "\n")

    rc, output, _ = playbook()

    samples = stop()
    assert rc == 0, output[-3000:]
    after = pool_state()
    assert all(after[n].split()[2] != before[n].split()[2] for n in NODES), "every node restarted"
    failed = [t for t, outcome in samples if outcome == "fail"]
    window = (max(failed) - min(failed)) if failed else 0.0
    report = f"root rotation: {len(failed)} failed of {len(samples)} requests, unavailable for {window:.1f} s"
    print(report)
    # Kept on the controller too: verify output shows prints only for failed tests.
    with (SECRETS.parent / "minio-root-rotation.log").open("a") as log:
        log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {report}\n")
    assert samples[-1][1] != "fail", "the pool did not come back"
    assert window < 60
    admin = "minio/admin/v3/list-users"
    assert s3(host, NODES[2], "GET", admin, ROOT_USER, new_root)[0] == 200
    assert s3(host, NODES[2], "GET", admin, ROOT_USER, old_root)[0] == 403
