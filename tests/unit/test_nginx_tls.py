import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.filter.nginx import nginx_tls_settings


def test_bookworm_gets_classic_groups_and_the_listen_parameter_form():
    tls = nginx_tls_settings(
        "nginx version: nginx/1.22.1", "OpenSSL 3.0.17 1 Jul 2025 (Library: OpenSSL 3.0.17)"
    )
    assert tls["groups"] == "X25519:prime256v1:secp384r1"
    assert tls["http2_directive"] is False
    assert tls["protocols"] == "TLSv1.2 TLSv1.3"
    assert "DHE-RSA" not in tls["ciphers"].replace("ECDHE-RSA", "")


def test_trixie_gets_the_post_quantum_group_first_and_the_http2_directive():
    tls = nginx_tls_settings("nginx version: nginx/1.26.3", "OpenSSL 3.5.1 1 Jul 2025")
    assert tls["groups"].split(":")[0] == "X25519MLKEM768"
    assert tls["http2_directive"] is True
    assert (tls["nginx_version"], tls["openssl_version"]) == ("1.26.3", "3.5.1")


def test_the_directive_appears_exactly_at_1_25_1():
    assert nginx_tls_settings("nginx/1.25.0", "OpenSSL 3.5.0")["http2_directive"] is False
    assert nginx_tls_settings("nginx/1.25.1", "OpenSSL 3.4.9")["http2_directive"] is True
    assert "MLKEM" not in nginx_tls_settings("nginx/1.25.1", "OpenSSL 3.4.9")["groups"]


def test_unreadable_versions_are_refused_by_name():
    with pytest.raises(AnsibleFilterError, match="nginx version"):
        nginx_tls_settings("command not found", "OpenSSL 3.5.0")
    with pytest.raises(AnsibleFilterError, match="OpenSSL version"):
        nginx_tls_settings("nginx/1.26.3", "")
