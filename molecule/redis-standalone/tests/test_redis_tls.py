"""The TLS host serves TLS only, with the lab CA's certificate."""

from redis_lab import cli, secret

testinfra_hosts = ["ansible://redis-sa-trixie"]


def test_plaintext_is_refused(host):
    result = host.run(
        "REDISCLI_AUTH=" + secret("redis_api") + " redis-cli --no-auth-warning --user api -h 127.0.0.1 PING"
    )
    assert result.stdout.strip() != "PONG"


def test_tls_with_the_lab_ca_is_served(host):
    assert (
        host.run(cli("redis-sa-trixie", "PING", user="api", password=secret("redis_api"))).stdout == "PONG\n"
    )
