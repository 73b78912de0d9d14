"""Pages: positions unique per work, insert/delete/reorder renumber only that work, versioned saves."""

from __future__ import annotations


def positions(client, notebook_id):
    items = client.get(f"/notebooks/{notebook_id}/pages?per_page=100").json["items"]
    return [(item["title"], item["position"]) for item in items]


def test_pages_append_insert_and_list_in_order(client, writer, make_notebook, make_page):
    notebook = make_notebook(writer)["id"]
    for title in ("one", "two", "three"):
        make_page(writer, notebook, title)
    inserted = make_page(writer, notebook, "one-and-a-half", position=2)
    assert inserted["position"] == 2
    assert positions(client, notebook) == [("one", 1), ("one-and-a-half", 2), ("two", 3), ("three", 4)]
    assert make_page(writer, notebook, "far", position=99)["position"] == 5
    assert client.get(f"/notebooks/{notebook}").json["page_count"] == 5


def test_delete_renumbers_only_its_own_work(client, writer, make_notebook, make_page):
    first, second = make_notebook(writer)["id"], make_notebook(writer)["id"]
    pages = [make_page(writer, first, f"a{i}") for i in range(3)]
    for i in range(3):
        make_page(writer, second, f"b{i}")
    assert client.delete(f"/pages/{pages[0]['id']}", headers=writer.headers).status_code == 204
    assert positions(client, first) == [("a1", 1), ("a2", 2)]
    assert positions(client, second) == [("b0", 1), ("b1", 2), ("b2", 3)]


def test_reorder_takes_a_permutation_of_all_pages(client, writer, make_notebook, make_page):
    notebook = make_notebook(writer)["id"]
    ids = [make_page(writer, notebook, t)["id"] for t in ("a", "b", "c")]
    url = f"/notebooks/{notebook}/pages/order"
    response = client.put(url, json={"page_ids": [ids[2], ids[0], ids[1]]}, headers=writer.headers)
    assert response.status_code == 200
    assert [item["title"] for item in response.json["items"]] == ["c", "a", "b"]
    assert positions(client, notebook) == [("c", 1), ("a", 2), ("b", 3)]
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [*ids, 123456789]):
        assert client.put(url, json={"page_ids": bad}, headers=writer.headers).status_code == 422


def test_content_is_validated_and_versioned(client, writer, make_notebook, make_page, doc):
    notebook = make_notebook(writer)["id"]
    page = make_page(writer, notebook, "draft", content=doc("Érase una vez"))
    assert page["version"] == 1
    read = client.get(f"/pages/{page['id']}").json
    assert read["content"] == doc("Érase una vez")
    saved = client.patch(
        f"/pages/{page['id']}", json={"content": doc("v2"), "version": 1}, headers=writer.headers
    )
    assert saved.status_code == 200 and saved.json["version"] == 2
    stale = client.patch(f"/pages/{page['id']}", json={"title": "late", "version": 1}, headers=writer.headers)
    assert stale.status_code == 409
    assert stale.json["error"]["details"] == {"current_version": 2}
    assert (
        client.patch(f"/pages/{page['id']}", json={"title": "x"}, headers=writer.headers).status_code == 422
    )
    for content in (
        "text",
        [],
        [{"type": "p"}],
        [{"type": "p", "children": [{"text": 5}]}],
        [{"text": "x", "bold": {"a": 1}}],
    ):
        response = client.post(
            f"/notebooks/{notebook}/pages", json={"content": content}, headers=writer.headers
        )
        assert response.status_code == 422, content


def test_oversized_content_is_413(client, make_app, writer, make_notebook, doc):
    small = make_app(page_content_max_bytes=1000).test_client()
    notebook = make_notebook(writer)["id"]
    response = small.post(
        f"/notebooks/{notebook}/pages", json={"content": doc("x" * 2000)}, headers=writer.headers
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"


def test_missing_pages_and_works_are_404(client, writer):
    assert client.get("/pages/987654321").status_code == 404
    assert client.get("/notebooks/987654321/pages").status_code == 404
    assert client.post("/notebooks/987654321/pages", json={}, headers=writer.headers).status_code == 404
