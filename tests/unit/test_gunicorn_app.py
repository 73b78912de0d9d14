"""Worker sizing and release pruning of roles/gunicorn_app (module_utils/gunicorn_app.py)."""

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.gunicorn_app import prunable, workers


def test_workers_follow_the_cpus_when_memory_is_plenty():
    assert workers(cpus=4, memory_mb=16000, per_worker_mb=120, reserve_mb=256, per_cpu=2, cap=16) == 8


def test_workers_are_capped_by_memory_for_a_heavy_model():
    # 180 MB model per worker, 512 MB kept for the system: (2048 - 512) // 180 = 8, (1024 - 512) // 180 = 2.
    assert workers(cpus=8, memory_mb=2048, per_worker_mb=180, reserve_mb=512, per_cpu=1, cap=16) == 8
    assert workers(cpus=8, memory_mb=1024, per_worker_mb=180, reserve_mb=512, per_cpu=1, cap=16) == 2


def test_workers_never_drop_below_one_nor_pass_the_cap():
    assert workers(cpus=1, memory_mb=300, per_worker_mb=180, reserve_mb=512, per_cpu=1, cap=16) == 1
    assert workers(cpus=64, memory_mb=256000, per_worker_mb=100, reserve_mb=256, per_cpu=2, cap=16) == 16


def test_workers_refuse_nonsense():
    with pytest.raises(ValueError):
        workers(cpus=0, memory_mb=1000, per_worker_mb=100, reserve_mb=0, per_cpu=2, cap=4)


def release(path, mtime):
    return {"path": f"/opt/app/releases/{path}", "mtime": mtime}


def test_prune_keeps_the_newest_and_never_the_serving_or_previous_release():
    found = [release("1.0-a", 1), release("1.1-b", 2), release("1.2-c", 3), release("1.3-d", 4)]
    # 1.0 serves (a rollback), 1.3 is new: keep 2 newest + the serving one.
    assert prunable(found, 2, ["/opt/app/releases/1.0-a", ""]) == ["/opt/app/releases/1.1-b"]
    assert prunable(found, 2, []) == ["/opt/app/releases/1.0-a", "/opt/app/releases/1.1-b"]
    assert prunable(found, 10, []) == []


def test_prune_refuses_to_keep_nothing():
    with pytest.raises(ValueError):
        prunable([release("1.0-a", 1)], 0, [])


def test_url_quote_escapes_everything_a_userinfo_cannot_carry():
    from urllib.parse import unquote

    from ansible_collections.sinpluma.toolkit.plugins.filter.url import url_quote

    password = "p@ss/w:rd?#%&="  # noqa: S105 (a test value)
    assert url_quote(password) == "p%40ss%2Fw%3Ard%3F%23%25%26%3D"
    assert unquote(url_quote(password)) == password
