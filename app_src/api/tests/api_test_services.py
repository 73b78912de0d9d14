"""Real MySQL 9, Redis and MinIO for the API tests, on one Debian sid lab host.

The host is provisioned once (packages, configuration, the MinIO binary) and committed to a local
image tagged by a hash of this recipe, so later fresh runs start in seconds. A running, healthy host
is reused as it is. Credentials are generated per host and kept inside it (never in the repository).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from lab import hosts  # noqa: E402
from lab.images import image_exists, image_tag  # noqa: E402

HOST = "api-test-services"
NETWORK = "sinpluma-api-test"
CACHED_IMAGE_REPO = "sinpluma-api-test/services"
CREDENTIALS_FILE = "/root/api-test-credentials.json"
DATABASE = "sinpluma_test"
MINIO_DIR = REPO_ROOT / "dist" / "minio"

MYSQL_CONFIG = """\
[mysqld]
bind-address = 0.0.0.0
mysqlx = OFF
performance_schema = OFF
innodb_buffer_pool_size = 128M
disable_log_bin
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_0900_ai_ci
sql_mode = STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION
ngram_token_size = 2
"""
REDIS_CONFIG_EDITS = (
    r"s/^bind .*/bind 0.0.0.0/",
    r"s/^protected-mode yes/protected-mode no/",
    r"s/^save .*//",
)
REDIS_EDIT_LINES = "".join(f"sed -i '{edit}' /etc/redis/redis.conf\n" for edit in REDIS_CONFIG_EDITS)
PROVISION_SCRIPT = f"""
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq mysql-server redis-server >/dev/null
cat > /etc/mysql/mysql.conf.d/zz-test.cnf <<'CNF'
{MYSQL_CONFIG}CNF
{REDIS_EDIT_LINES}
mkdir -p /var/lib/minio
apt-get clean
systemctl stop mysql redis-server
"""


@dataclass(frozen=True)
class Services:
    address: str
    mysql_root_password: str
    migrator_password: str
    app_password: str
    redis_password: str
    minio_user: str
    minio_password: str

    def db_url(self, user: str, password: str, database: str = DATABASE) -> str:
        return f"mysql+pymysql://{user}:{password}@{self.address}:3306/{database}?charset=utf8mb4"

    @property
    def redis_url(self) -> str:
        return f"redis://:{self.redis_password}@{self.address}:6379/0"

    @property
    def minio_endpoint(self) -> str:
        return f"{self.address}:9000"


def _docker(*args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, input=stdin)


def _exec(script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = _docker("exec", "-i", HOST, "bash", "-s", check=False, stdin=script)
    if check and result.returncode != 0:
        raise RuntimeError(
            f"on {HOST}: {script.strip()[:200]}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return result


def minio_binary() -> Path:
    """The team's MinIO artifact; built (or copied from its cache) when this checkout lacks it."""
    binary = MINIO_DIR / "minio"
    if not binary.is_file():
        subprocess.run(
            [sys.executable, "-m", "buildtools.minio", "--out", str(MINIO_DIR)], cwd=REPO_ROOT, check=True
        )
    return binary


def recipe_digest() -> str:
    payload = json.dumps(
        {
            "base": image_tag("sid"),
            "script": PROVISION_SCRIPT,
            "minio": hashlib.sha256(minio_binary().read_bytes()).hexdigest(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _start_container(image: str) -> None:
    hosts.ensure_network(NETWORK)
    spec = hosts.HostSpec(HOST, "sid", (NETWORK,), {"sinpluma.api-test": "1"})
    args = hosts.run_args(
        spec, hosts.cgroup_mount(), hosts.privilege_args(Path("/proc/self/status").read_text())
    )
    args[-2] = image  # run_args names the lab base image; the cached image carries the provisioned host
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"docker run {HOST} failed: {result.stderr.strip()}")
    hosts.wait_running(HOST, timeout=120)


def _provision_image(tag: str) -> None:
    """Install and configure the services on a base sid host, then commit it as `tag`."""
    base = image_tag("sid")
    if not image_exists(base):
        raise RuntimeError(f"lab image {base} is not built: run `make images` first")
    hosts.destroy(HOST)
    _start_container(base)
    _exec(PROVISION_SCRIPT)
    _docker("cp", str(minio_binary()), f"{HOST}:/usr/local/bin/minio")
    _docker("commit", HOST, tag)
    hosts.destroy(HOST)


def _write_credentials() -> dict[str, str]:
    creds = {
        name: secrets.token_urlsafe(18)
        for name in ("mysql_root", "migrator", "app", "redis", "minio_password")
    }
    creds["minio_user"] = "sinpluma-test"
    redis = creds["redis"]
    _exec(
        f"""
umask 077
printf '%s' '{json.dumps(creds)}' > {CREDENTIALS_FILE}
sed -i -E 's/^#? *requirepass .*/requirepass {redis}/' /etc/redis/redis.conf
"""
    )
    return creds


def _start_services(creds: dict[str, str]) -> None:
    _exec(
        f"""
systemctl start mysql redis-server
systemctl is-active --quiet minio || systemd-run --unit=minio --property=Restart=on-failure \\
  --setenv=MINIO_ROOT_USER={creds["minio_user"]} --setenv=MINIO_ROOT_PASSWORD={creds["minio_password"]} \\
  /usr/local/bin/minio server /var/lib/minio --address :9000 --console-address 127.0.0.1:9001 --quiet
for i in $(seq 1 120); do mysqladmin ping --silent && break; sleep 0.5; done
mysql <<'SQL'
CREATE USER IF NOT EXISTS 'sinpluma_migrator'@'%' IDENTIFIED BY '{creds["migrator"]}';
CREATE USER IF NOT EXISTS 'sinpluma_app'@'%' IDENTIFIED BY '{creds["app"]}';
SQL
"""
    )


def drop_database(database: str) -> None:
    _exec(f"mysql -e 'DROP DATABASE IF EXISTS {database}'", check=False)


def reset_database(services: Services, database: str = DATABASE) -> None:
    """A fresh, empty schema with the least-privilege grants the deployment uses."""
    _exec(
        f"""
mysql <<'SQL'
DROP DATABASE IF EXISTS {database};
CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
GRANT ALL PRIVILEGES ON {database}.* TO 'sinpluma_migrator'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON {database}.* TO 'sinpluma_app'@'%';
SQL
"""
    )


def _healthy() -> bool:
    if not hosts.exists(HOST) or hosts.system_state(HOST) not in {"running", "degraded"}:
        return False
    probe = _exec(
        "mysqladmin ping --silent && systemctl is-active --quiet redis-server"
        " && systemctl is-active --quiet minio"
        f" && test -f {CREDENTIALS_FILE}",
        check=False,
    )
    return probe.returncode == 0


def _read_credentials() -> dict[str, str]:
    return json.loads(_exec(f"cat {CREDENTIALS_FILE}").stdout)


def ensure_services() -> Services:
    """Reuse a healthy services host, or start one from the cached provisioned image (building it once)."""
    if shutil.which("docker") is None:
        raise RuntimeError("docker is not installed: run `make setup` first")
    if not _healthy():
        tag = f"{CACHED_IMAGE_REPO}:{recipe_digest()}"
        if not image_exists(tag):
            _provision_image(tag)
        hosts.destroy(HOST)
        _start_container(tag)
        creds = _write_credentials()
        _start_services(creds)
        _wait_minio()
    creds = _read_credentials()
    return Services(
        address=hosts.address(HOST, NETWORK),
        mysql_root_password=creds["mysql_root"],
        migrator_password=creds["migrator"],
        app_password=creds["app"],
        redis_password=creds["redis"],
        minio_user=creds["minio_user"],
        minio_password=creds["minio_password"],
    )


def _wait_minio(timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            _exec(
                "python3 -c \"import urllib.request as u; u.urlopen('http://127.0.0.1:9000/minio/health/ready')\"",
                check=False,
            ).returncode
            == 0
        ):
            return
        time.sleep(0.5)
    raise RuntimeError("MinIO did not become ready")


def stop_redis() -> None:
    _exec("systemctl stop redis-server")


def start_redis() -> None:
    _exec("systemctl start redis-server")
