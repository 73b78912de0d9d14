"""The edge as writers and ops meet it: requests from a client host through each edge (Debian 12
and 13) to real HTTP backends on other hosts, then drills that change the running edge."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import testinfra

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.molecule_play import run_playbook  # noqa: E402

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
EDGES = ["ngx-edge-bookworm", "ngx-edge-trixie"]
LIVE = "/etc/nginx/sinpluma/live"
ENVELOPE_CODES = {413: "payload_too_large", 429: "rate_limited"}


def host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={INVENTORY}")


CLIENT = host("ngx-back-2")


class Response:
    def __init__(self, raw: str):
        head, _, self.body = raw.replace("\r\n", "\n").partition("\n\n")
        lines = head.splitlines()
        self.protocol, self.status = lines[0].split()[0], int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def json(self):
        return json.loads(self.body)


def request(url, *curl_args):
    """One request from the client host with curl (the lab CA is in its trust store)."""
    result = CLIENT.run("curl -sS -i --max-time 15 " + " ".join(curl_args) + f" '{url}'")
    assert result.rc == 0, result.stderr
    return Response(result.stdout)


@pytest.fixture(params=EDGES)
def edge(request):
    return request.param


def test_api_path_is_stripped_and_forwarded_with_the_client_facts(edge):
    response = request(f"https://{edge}/api/works/7?page=2", "-H 'X-Forwarded-For: 203.0.113.9'")
    assert response.status == 200
    echo = response.json()
    assert (echo["port"], echo["path"]) == (8000, "/works/7?page=2")
    assert echo["server"] in ("ngx-back-1", "ngx-back-2")
    assert echo["headers"]["x-forwarded-proto"] == "https"
    client_ip = CLIENT.check_output("hostname -I").split()[0]
    assert echo["headers"]["x-forwarded-for"] == client_ip  # the client's own header is not trusted
    assert echo["headers"]["x-request-id"] == response.headers["x-request-id"]


def test_a_request_id_from_the_client_is_kept_and_logged(edge):
    response = request(f"https://{edge}/api/genres", "-H 'X-Request-Id: drill-0123456789'")
    assert response.json()["headers"]["x-request-id"] == "drill-0123456789"
    for _ in range(20):  # nginx logs a request once it is done, which may be just after curl returns
        last = json.loads(host(edge).check_output("tail -n 1 /var/log/nginx/access.json"))
        if last["request_id"] == "drill-0123456789":
            break
        time.sleep(0.1)
    assert last["request_id"] == "drill-0123456789"
    assert last["upstream"].endswith(":8000") and last["status"] == 200
    assert float(last["request_time"]) >= 0


def test_linguistics_path_reaches_the_linguistics_pool(edge):
    echo = request(f"https://{edge}/api/lin/sentiment", "-X POST", '--data \'{"text": "hola"}\'').json()
    assert (echo["server"], echo["port"], echo["path"]) == ("ngx-back-1", 8002, "/sentiment")


def test_a_deep_spa_url_returns_index_html_never_cached(edge):
    response = request(f"https://{edge}/works/42/pages/3")
    assert response.status == 200
    assert "Sin Pluma" in response.body
    assert response.headers["cache-control"] == "no-cache"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_http_redirects_to_https(edge):
    response = request(f"http://{edge}/works?sort=new")
    assert response.status == 301
    assert response.headers["location"] == f"https://{edge}/works?sort=new"


def test_tls_is_1_2_or_1_3_with_http2_and_every_response_has_the_security_headers(edge):
    for version in ("--tlsv1.2 --tls-max 1.2", "--tlsv1.3"):
        assert CLIENT.run(f"curl -sS {version} -o /dev/null https://{edge}/").rc == 0, version
    response = request(f"https://{edge}/api/works", "--http2")
    assert response.protocol == "HTTP/2"
    for path in ("/", "/api/works", "/assets/missing.js", "/nowhere"):
        headers = request(f"https://{edge}{path}").headers
        assert headers["strict-transport-security"].startswith("max-age="), path
        assert headers["x-content-type-options"] == "nosniff", path
        assert "server" not in headers or headers["server"] == "nginx", path


def test_a_body_over_the_limit_is_413_with_the_json_envelope(edge):
    CLIENT.run("head -c 8000000 /dev/zero > /tmp/big.bin")
    # HTTP/1.1 with Expect: 100-continue, as a browser's large upload: nginx answers before the body.
    response = request(f"https://{edge}/api/lin/batch", "--http1.1", "-X POST", "--data-binary @/tmp/big.bin")
    assert response.status == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_login_beyond_its_rate_is_429_with_the_json_envelope_and_retry_after(edge):
    statuses = []
    for _ in range(6):
        response = request(f"https://{edge}/api/login", "-X POST", "--data '{}'")
        statuses.append(response.status)
        if response.status == 429:
            break
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["x-content-type-options"] == "nosniff"


def test_stub_status_answers_on_loopback_only(edge):
    status = host(edge).check_output(
        "python3 -c \"import urllib.request as u; print(u.urlopen('http://127.0.0.1:8089/nginx_status').read().decode())\""
    )
    assert "Active connections" in status
    assert CLIENT.run(f"curl -sS --max-time 3 http://{edge}:8089/nginx_status").rc != 0


def test_one_backend_stopped_idempotent_requests_still_succeed():
    back = host("ngx-back-1")
    back.check_output("systemctl stop echo-backend@8000")
    try:
        for edge in EDGES:
            servers = [request(f"https://{edge}/api/works").json()["server"] for _ in range(8)]
            assert set(servers) == {"ngx-back-2"}, servers
    finally:
        back.check_output("systemctl start echo-backend@8000")


def tree(edge):
    node = host(edge)
    return node.check_output(f"readlink {LIVE}"), node.check_output(
        f"cd {LIVE}/ && find . -type f | sort | xargs sha256sum"
    )


def test_a_configuration_nginx_rejects_never_goes_live():
    before = {edge: tree(edge) for edge in EDGES}
    pids = {edge: host(edge).check_output("cat /run/nginx.pid") for edge in EDGES}
    rc, output = run_playbook(SCENARIO / "converge.yml", "-e", "nginx_api_body_max=lots", json_results=True)
    assert rc != 0
    assert "nginx rejected the new configuration" in output, output[-3000:]
    assert '\\"client_max_body_size\\" directive invalid value' in output or "invalid value" in output, (
        output[-3000:]
    )
    for edge in EDGES:
        assert tree(edge) == before[edge], edge
        assert host(edge).check_output("cat /run/nginx.pid") == pids[edge]  # never restarted
        assert request(f"https://{edge}/api/works").status == 200
    # The next good run puts staging back and finds nothing to swap.
    rc, output = run_playbook(SCENARIO / "converge.yml")
    assert rc == 0, output[-3000:]
    assert {edge: tree(edge) for edge in EDGES} == before


def test_a_drained_server_receives_no_new_requests_until_restored():
    def servers(edge):
        return {request(f"https://{edge}/api/works").json()["server"] for _ in range(10)}

    rc, output = run_playbook(
        SCENARIO / "drain.yml", "-e", "nginx_drain_server=ngx-back-1", "-e", "nginx_drain_state=drained"
    )
    assert rc == 0, output[-3000:]
    try:
        for edge in EDGES:
            assert servers(edge) == {"ngx-back-2"}, edge
        rc, output = run_playbook(
            SCENARIO / "drain.yml", "-e", "nginx_drain_server=ngx-back-2", "-e", "nginx_drain_state=drained"
        )
        assert rc != 0
        assert "last server of the api pool" in output, output[-3000:]
        # A regular converge keeps the drained server out (the rollout decides when it comes back).
        rc, output = run_playbook(SCENARIO / "converge.yml")
        assert rc == 0, output[-3000:]
        assert servers(EDGES[0]) == {"ngx-back-2"}
    finally:
        rc, output = run_playbook(
            SCENARIO / "drain.yml", "-e", "nginx_drain_server=ngx-back-1", "-e", "nginx_drain_state=active"
        )
    assert rc == 0, output[-3000:]
    for edge in EDGES:
        assert servers(edge) == {"ngx-back-1", "ngx-back-2"}, edge


TLS_RESULTS = ROOT / ".cache" / "drills" / "nginx_tls.txt"


@pytest.mark.parametrize("edge", EDGES)
def test_tls_is_compliant_with_mozilla_intermediate_certificate_validation_included(edge):
    """sslyze's Mozilla check from the controller, trusting the lab CA (nothing else): protocols,
    ciphers, curves, certificate path, key and lifespan, HSTS, known TLS vulnerabilities."""
    address = subprocess.run(
        ["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", edge],
        check=True, capture_output=True, text=True,
    ).stdout.split()[0]  # fmt: skip
    ca = Path.home() / ".cache" / "sinpluma-lab" / "pki" / "ca.pem"
    result = subprocess.run(
        [str(ROOT / ".venv-tls" / "bin" / "python"), "-m", "sslyze", "--mozilla_config=intermediate",
         f"--certinfo_ca_file={ca}", f"{edge}:443{{{address}}}"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = result.stdout + result.stderr
    TLS_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with TLS_RESULTS.open("a") as handle:
        handle.write(f"== {edge} (rc {result.returncode})\n{output[-2500:]}\n")
    assert result.returncode == 0, output[-3000:]
    assert ": OK - Compliant." in output, output[-3000:]
