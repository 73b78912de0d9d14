"""Works: owner from the token, public reads, ownership on every change, cascades, pagination."""

from __future__ import annotations


def test_create_requires_a_token_and_takes_the_owner_from_it(client, writer, reader):
    body = {"title": "Mine", "synopsis": "s", "genre_id": 1}
    assert client.post("/notebooks", json=body).status_code == 401
    refused = client.post("/notebooks", json={**body, "user_id": reader.id}, headers=writer.headers)
    assert refused.status_code == 422 and "user_id" in refused.json["error"]["details"]
    created = client.post("/notebooks", json=body, headers=writer.headers)
    assert created.status_code == 201
    assert created.json["author"]["id"] == writer.id
    assert created.json["genre"]["id"] == 1 and created.json["page_count"] == 0


def test_get_is_public_and_missing_is_404(client, writer, make_notebook):
    notebook = make_notebook(writer, title="Public", tags=["Sea", " sea ", "Night  Tales"])
    response = client.get(f"/notebooks/{notebook['id']}")
    assert response.status_code == 200
    assert response.json["title"] == "Public"
    assert response.json["tags"] == ["night tales", "sea"]
    assert "email" not in response.json["author"]
    assert client.get("/notebooks/999999999").json["error"]["code"] == "not_found"


def test_invalid_fields_are_422_not_500(client, writer):
    for body in (
        {"title": "x", "genre_id": 999999},
        {"title": "x", "genre_id": 2**70},
        {"title": "x", "genre_id": "1"},
        {"title": "   ", "genre_id": 1},
        {"title": "x" * 81, "genre_id": 1},
        {"title": "x", "genre_id": 1, "synopsis": "y" * 601},
        {"title": "x", "genre_id": 1, "tags": ["t"] * 21},
    ):
        response = client.post("/notebooks", json=body, headers=writer.headers)
        assert response.status_code == 422, (body, response.json)


def test_someone_elses_work_is_403_for_every_change(client, writer, reader, make_notebook, make_page):
    notebook = make_notebook(writer)
    page = make_page(writer, notebook["id"])
    nb = f"/notebooks/{notebook['id']}"
    assert client.patch(nb, json={"title": "Stolen"}, headers=reader.headers).status_code == 403
    assert client.delete(nb, headers=reader.headers).status_code == 403
    assert client.post(f"{nb}/pages", json={}, headers=reader.headers).status_code == 403
    assert (
        client.put(f"{nb}/pages/order", json={"page_ids": [page["id"]]}, headers=reader.headers).status_code
        == 403
    )
    assert client.put(f"{nb}/tags", json={"tags": ["x"]}, headers=reader.headers).status_code == 403
    assert (
        client.patch(
            f"/pages/{page['id']}", json={"title": "x", "version": 1}, headers=reader.headers
        ).status_code
        == 403
    )
    assert client.delete(f"/pages/{page['id']}", headers=reader.headers).status_code == 403
    assert client.get(nb).json["title"] == "A work"


def test_owner_updates_partially(client, writer, make_notebook):
    notebook = make_notebook(writer, synopsis="keep me")
    response = client.patch(
        f"/notebooks/{notebook['id']}", json={"title": "New title", "genre_id": 2}, headers=writer.headers
    )
    assert response.status_code == 200
    assert response.json["title"] == "New title" and response.json["genre"]["id"] == 2
    assert response.json["synopsis"] == "keep me"


def test_deleting_a_followed_work_cascades(client, writer, reader, make_notebook, make_page):
    notebook = make_notebook(writer)
    page = make_page(writer, notebook["id"])
    assert client.put(f"/notebooks/{notebook['id']}/follow", headers=reader.headers).status_code == 201
    assert client.delete(f"/notebooks/{notebook['id']}", headers=writer.headers).status_code == 204
    assert client.get(f"/notebooks/{notebook['id']}").status_code == 404
    assert client.get(f"/pages/{page['id']}").status_code == 404
    assert client.get(f"/users/{reader.id}/follows").json["total"] == 0


def test_lists_are_paginated_and_filtered(client, register, make_notebook, unique):
    author = register()
    tag = unique("tag")
    ids = [make_notebook(author, title=f"Work {i}", tags=[tag] if i % 2 else [])["id"] for i in range(5)]
    first = client.get(f"/notebooks?user_id={author.id}&per_page=2")
    assert first.status_code == 200
    assert first.json["total"] == 5 and len(first.json["items"]) == 2
    assert [item["id"] for item in first.json["items"]] == ids[::-1][:2]
    third = client.get(f"/notebooks?user_id={author.id}&per_page=2&page=3").json
    assert [item["id"] for item in third["items"]] == [ids[0]]
    tagged = client.get(f"/notebooks?tag={tag.upper()}").json
    assert sorted(item["id"] for item in tagged["items"]) == [ids[1], ids[3]]
    by_user = client.get(f"/users/{author.id}/notebooks?per_page=100").json
    assert by_user["total"] == 5
    assert client.get("/notebooks?per_page=1000").status_code == 400
    assert client.get("/notebooks?page=0").status_code == 400
    assert client.get("/notebooks?genre_id=abc").status_code == 400


def test_users_have_public_profiles_without_email(client, writer):
    response = client.get(f"/users/{writer.id}")
    assert response.status_code == 200
    assert response.json["user_name"] == writer.user_name
    assert "email" not in response.json and "is_admin" not in response.json
    assert client.get("/users/99999999999").status_code == 404
    assert client.get("/users/abc").status_code == 404
