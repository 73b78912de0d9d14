import base64

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.filter.nginx import nginx_drained
from ansible_collections.sinpluma.toolkit.plugins.module_utils.nginx_drain import DrainError
from ansible_collections.sinpluma.toolkit.plugins.module_utils.nginx_drain import update as nginx_drain_update

API = ["api-1", "api-2", "api-3"]


def test_nothing_recorded_means_nothing_drained():
    assert nginx_drained({}) == {"api": [], "linguistics": []}
    recorded = base64.b64encode(b'{"api": ["api-2"]}').decode()
    assert nginx_drained({"content": recorded}) == {"api": ["api-2"], "linguistics": []}
    with pytest.raises(AnsibleFilterError, match="cannot read"):
        nginx_drained({"content": base64.b64encode(b"[1]").decode()})


def test_drain_then_restore_one_server():
    drained = nginx_drain_update({}, API, "api", "api-2", "drained")
    assert drained == {"api": ["api-2"], "linguistics": []}
    assert nginx_drain_update(drained, API, "api", "api-2", "drained") == drained  # idempotent
    assert nginx_drain_update(drained, API, "api", "api-2", "active") == {"api": [], "linguistics": []}


def test_the_last_active_server_is_never_drained():
    drained = nginx_drain_update({"api": ["api-1", "api-2"]}, API, "api", "api-1", "drained")
    assert drained["api"] == ["api-1", "api-2"]
    with pytest.raises(DrainError, match="last server of the api pool"):
        nginx_drain_update(drained, API, "api", "api-3", "drained")


@pytest.mark.parametrize(
    ("pool", "server", "state", "message"),
    [("web", "api-1", "drained", "not one of"), ("api", "lin-1", "drained", "not a server"),
     ("api", "api-1", "off", "not drained or active")],
)  # fmt: skip
def test_bad_requests_are_refused_by_name(pool, server, state, message):
    with pytest.raises(DrainError, match=message):
        nginx_drain_update({}, API, pool, server, state)


UPSTREAMS = """upstream sinpluma_api {
    server 10.0.0.1:8000 max_fails=2 fail_timeout=10s; # host=api-1
    server 10.0.0.2:8000 max_fails=2 fail_timeout=10s down; # host=api-2
    keepalive 16;
}
upstream sinpluma_linguistics {
    server 10.0.0.1:8002 max_fails=2 fail_timeout=10s; # host=api-1
}
"""


def test_mark_changes_only_the_servers_line_in_its_pool():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.nginx_drain import mark

    drained = mark(UPSTREAMS, "api", "api-1", True)
    assert (
        drained.splitlines()[1] == "    server 10.0.0.1:8000 max_fails=2 fail_timeout=10s down; # host=api-1"
    )
    assert drained.splitlines()[6] == UPSTREAMS.splitlines()[6]  # same host, other pool: untouched
    restored = mark(mark(drained, "api", "api-2", False), "api", "api-1", False)
    assert "down" not in restored
    assert mark(UPSTREAMS, "api", "api-2", True) == UPSTREAMS  # already down: the same text


def test_mark_refuses_a_server_without_a_line():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.nginx_drain import DrainError, mark

    with pytest.raises(DrainError, match="no server line of api-2 in upstream sinpluma_linguistics"):
        mark(UPSTREAMS, "linguistics", "api-2", True)
