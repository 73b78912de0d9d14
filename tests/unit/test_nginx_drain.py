import base64

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.filter.nginx import nginx_drain_update, nginx_drained

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
    with pytest.raises(AnsibleFilterError, match="last server of the api pool"):
        nginx_drain_update(drained, API, "api", "api-3", "drained")


@pytest.mark.parametrize(
    ("pool", "server", "state", "message"),
    [("web", "api-1", "drained", "not one of"), ("api", "lin-1", "drained", "not a server"),
     ("api", "api-1", "off", "not drained or active")],
)  # fmt: skip
def test_bad_requests_are_refused_by_name(pool, server, state, message):
    with pytest.raises(AnsibleFilterError, match=message):
        nginx_drain_update({}, API, pool, server, state)
