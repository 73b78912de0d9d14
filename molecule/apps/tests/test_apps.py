"""roles/api and roles/linguistics on converged hosts: the services as a client and an operator see
them (real MySQL through Router, Redis, MinIO, the real model)."""

import json
import os
import re
import secrets
import shutil
import time
import uuid
from pathlib import Path

import pytest
import testinfra
from new_version import with_version

from lab.molecule_play import run_playbook

testinfra_hosts = ["ansible://api", "ansible://linguistics"]

ROOT = Path(__file__).resolve().parents[3]
PLAYBOOK = ROOT / "playbooks" / "apps.yml"
DRILLS = ROOT / ".cache" / "drills"
SERVICES = {"api": ("sinpluma-api", 8000), "linguistics": ("sinpluma-linguistics", 8002)}


def service_of(host):
    groups = host.ansible.get_variables()["group_names"]
    return SERVICES["api" if "api" in groups else "linguistics"]


def http(host, method, url, body=None, token=None):
    """(status, JSON body) of a request made on `host` with its own Python."""
    script = (
        "import json, sys, urllib.request, urllib.error\n"
        "req = urllib.request.Request(sys.argv[2], method=sys.argv[1], data=sys.argv[3].encode() or None)\n"
        "auth = {'Authorization': 'Bearer ' + sys.argv[4]} if sys.argv[4] else {}\n"
        "for name, value in {'Content-Type': 'application/json', **auth}.items():\n"
        "    req.add_header(name, value)\n"
        "try:\n"
        "    r = urllib.request.urlopen(req, timeout=20); print(r.status); print(r.read().decode())\n"
        "except urllib.error.HTTPError as e:\n"
        "    print(e.code); print(e.read().decode())\n"
    )
    out = host.check_output(
        "python3 -c %s %s %s %s %s",
        script, method, url, json.dumps(body) if body is not None else "", token or "",
    )  # fmt: skip
    status, _, text = out.partition("\n")
    return int(status), json.loads(text) if text.strip() else None


def test_the_service_is_ready(host):
    _, port = service_of(host)
    status, body = http(host, "GET", f"http://127.0.0.1:{port}/readyz")
    assert status == 200, body


def test_the_service_runs_as_its_own_unprivileged_user_from_the_current_release(host):
    name, _ = service_of(host)
    assert host.service(f"{name}.socket").is_running
    assert host.service(f"{name}.service").is_running
    pid = host.check_output(f"systemctl show -p MainPID --value {name}.service")
    assert host.check_output(f"ps -o user= -p {pid}").strip() == name
    status = host.check_output(f"grep -E '^(Uid|CapEff)' /proc/{pid}/status")
    assert "CapEff:\t0000000000000000" in status
    assert host.user(name).uid != 0 and host.user(name).shell == "/usr/sbin/nologin"
    current = host.file(f"/opt/{name}/current")
    assert current.is_symlink and current.linked_to.startswith(f"/opt/{name}/releases/")
    assert host.file(f"{current.linked_to}/.installed").exists
    assert host.file(f"/opt/{name}/releases").user == "root"  # the service cannot change its code


def test_the_environment_file_is_0600_and_owned_by_the_service_user(host):
    name, _ = service_of(host)
    env = host.file(f"/etc/{name}/env")
    assert env.mode == 0o600 and env.user == name and env.group == name


def test_the_unit_is_hardened(host):
    name, _ = service_of(host)
    out = host.check_output(f"systemd-analyze security --no-pager {name}.service")
    score = float(re.search(r"Overall exposure level for \S+: ([0-9.]+)", out).group(1))
    print(f"{host.backend.get_hostname()} {name}: systemd-analyze security exposure {score}")
    assert score <= 2.0, out


@pytest.mark.parametrize("name", ["sinpluma-api"])
def test_the_schema_comes_from_the_migration(host, name):
    if "api" not in host.ansible.get_variables()["group_names"]:
        pytest.skip("an API host check")
    out = host.check_output(
        f"systemd-run --quiet --wait --pipe -p User={name} -p EnvironmentFile=/etc/{name}/env "
        f"/opt/{name}/current/venv/bin/sinpluma-api db current"
    )
    assert "0001 (head)" in out


def test_the_image_cleanup_timer_is_on_the_first_api_host_only(host):
    variables = host.ansible.get_variables()
    if "api" not in variables["group_names"]:
        pytest.skip("an API host check")
    timer = host.service("sinpluma-api-images-cleanup.timer")
    if variables["inventory_hostname"] == variables["groups"]["api"][0]:
        assert timer.is_enabled and timer.is_running
    else:
        assert not host.file("/etc/systemd/system/sinpluma-api-images-cleanup.timer").exists


def test_a_writer_registers_logs_in_and_reads_their_account_through_router_and_redis(host):
    if "api" not in host.ansible.get_variables()["group_names"]:
        pytest.skip("an API host check")
    user = f"w{uuid.uuid4().hex[:10]}"
    account = {"first_name": "Ada", "last_name": "Writer", "user_name": user, "email": f"{user}@example.org",
               "password": secrets.token_urlsafe(18)}  # fmt: skip
    status, body = http(host, "POST", "http://127.0.0.1:8000/register", account)
    assert status == 201, body
    status, tokens = http(
        host, "POST", "http://127.0.0.1:8000/login", {"user_name": user, "password": account["password"]}
    )
    assert status == 200, tokens
    status, me = http(host, "GET", "http://127.0.0.1:8000/users/me", token=tokens["access_token"])
    assert status == 200 and me["user_name"] == user


def test_the_sentiment_service_answers_a_batch_with_the_pinned_model(host):
    if "linguistics" not in host.ansible.get_variables()["group_names"]:
        pytest.skip("a linguistics host check")
    status, body = http(host, "POST", "http://127.0.0.1:8002/sentiment/batch",
                        {"items": [{"key": "1", "sentence": "What a wonderful, happy day."},
                                   {"key": "2", "sentence": "This is a terrible, sad loss."}]})  # fmt: skip
    assert status == 200, body
    labels = {item["key"]: item["sentiment"] for item in body["items"]}
    assert labels == {"1": "positive", "2": "negative"}


def releases(host, name):
    return host.check_output(f"ls /opt/{name}/releases"), host.file(f"/opt/{name}/current").linked_to


def test_a_tampered_artifact_is_refused_before_any_host_changes(host, tmp_path):
    variables = host.ansible.get_variables()
    if variables["inventory_hostname"] != variables["groups"]["api"][0]:
        pytest.skip("one drill for the scenario")
    before = releases(host, "sinpluma-api")
    tampered = tmp_path / "api"
    shutil.copytree(ROOT / "dist" / "api", tampered)
    wheel = sorted((tampered / "wheels").glob("flask-*.whl"))[0]
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    rc, out = run_playbook(
        ROOT / "playbooks" / "apps.yml", "-e", f"api_artifact_dir={tampered}", "--tags", "api"
    )
    assert rc != 0
    assert f"the artifact in {tampered} is refused: wheels/{wheel.name} has sha256" in out
    assert releases(host, "sinpluma-api") == before


def lab_host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def serving(name, hosts):
    """The release each host's `current` link names."""
    return {h: Path(lab_host(h).file(f"/opt/{name}/current").linked_to).name for h in hosts}


def rollout_under_load(*extra):
    """(rc, output, seconds, load report) of apps.yml run with `extra` while the edge sends reads,
    writes and sentiment requests through nginx at a fixed rate."""
    edge = lab_host("app-edge")
    run = uuid.uuid4().hex[:8]
    stop, report = f"/root/load-{run}.stop", f"/root/load-{run}.json"
    edge.check_output(
        f"systemd-run --unit=rollout-load-{run} /usr/bin/python3 /usr/local/bin/rollout-load "
        f"https://app-edge {stop} {report} 5"
    )
    time.sleep(5)  # the load runs before the rollout starts
    started = time.monotonic()
    rc, output = run_playbook(PLAYBOOK, *extra)
    seconds = round(time.monotonic() - started, 1)
    time.sleep(5)  # and after it ends
    edge.check_output(f"touch {stop}")
    for _ in range(60):
        if edge.file(report).exists:
            break
        time.sleep(1)
    return rc, output, seconds, json.loads(edge.file(report).content_string)


def test_a_new_version_rolls_and_rolls_back_under_load_with_no_failed_request(host, tmp_path):
    variables = host.ansible.get_variables()
    if variables["inventory_hostname"] != variables["groups"]["api"][0]:
        pytest.skip("one drill for the scenario")
    api_hosts, ling_hosts = variables["groups"]["api"], variables["groups"]["linguistics"]
    before = {**serving("sinpluma-api", api_hosts), **serving("sinpluma-linguistics", ling_hosts)}
    new_api = with_version(ROOT / "dist" / "api", tmp_path / "api", "sinpluma_api", "1.0.1")
    new_ling = with_version(
        ROOT / "dist" / "linguistics", tmp_path / "linguistics", "sinpluma_linguistics", "1.0.1"
    )
    DRILLS.mkdir(parents=True, exist_ok=True)
    lines = []
    roll = ["-e", f"api_artifact_dir={new_api}", "-e", f"linguistics_artifact_dir={new_ling}"]
    back = ["-e", f"api_release={before[api_hosts[0]]}", "-e", f"linguistics_release={before[ling_hosts[0]]}"]
    for label, extra, expect in [("roll to 1.0.1", roll, "1.0.1-"), ("roll back", back, "1.0.0-")]:
        rc, output, seconds, load = rollout_under_load(*extra)
        assert rc == 0, output[-4000:]
        now = {**serving("sinpluma-api", api_hosts), **serving("sinpluma-linguistics", ling_hosts)}
        assert all(release.startswith(expect) for release in now.values()), now
        total = sum(c["ok"] + c["failed"] for c in load["counts"].values())
        line = (f"{label}: {seconds} s rollout, {total} requests in {load['seconds']} s "
                f"({load['rate_per_kind']}/s per kind), counts {load['counts']}, "
                f"failures {len(load['failures'])}")  # fmt: skip
        print(line)
        lines.append(line)
        assert load["failures"] == [], load["failures"][:10]
        assert all(c["ok"] >= 5 * seconds * 0.8 for c in load["counts"].values()), load["counts"]
    (DRILLS / "apps_rollout.txt").write_text("\n".join(lines) + "\n")
    assert {**serving("sinpluma-api", api_hosts), **serving("sinpluma-linguistics", ling_hosts)} == before


def reaches(source, target, port):
    return lab_host(source).run(f"timeout 5 bash -c 'exec 3<>/dev/tcp/{target}/{port}'").rc == 0


def test_only_the_edge_reaches_the_app_ports(host):
    variables = host.ansible.get_variables()
    if variables["inventory_hostname"] != variables["groups"]["api"][0]:
        pytest.skip("one check for the scenario")
    assert reaches("app-edge", "app-api2", 8000)
    assert reaches("app-edge", "app-ling2", 8002)
    assert not reaches("app-ling1", "app-api2", 8000)
    assert not reaches("app-api1", "app-ling2", 8002)
    assert not reaches("app-data", "app-api2", 8000)
