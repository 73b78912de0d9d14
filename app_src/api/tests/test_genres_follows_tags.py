"""Genres (admin-only writes), follows (one per user and work), tags (normalised, counted, prefix search)."""

from __future__ import annotations

from sinpluma_api.services import accounts


def test_seeded_genres_are_public(client):
    response = client.get("/genres?per_page=100")
    assert response.status_code == 200
    names = {genre["name"] for genre in response.json["items"]}
    assert {"Poetry", "Horror", "Science fiction"} <= names
    assert response.json["total"] >= 10
    assert client.get("/genres/1").json["id"] == 1
    assert client.get("/genres/abc").status_code == 404


def test_only_administrators_change_genres(client, runtime, writer, register, make_notebook, unique):
    name = unique("Genre ")
    assert client.post("/genres", json={"name": name}).status_code == 401
    assert client.post("/genres", json={"name": name}, headers=writer.headers).status_code == 403
    admin = register()
    accounts.set_admin(runtime.db, admin.user_name, True)
    created = client.post("/genres", json={"name": name}, headers=admin.headers)
    assert created.status_code == 201
    genre_id = created.json["id"]
    assert client.post("/genres", json={"name": name}, headers=admin.headers).status_code == 409
    assert (
        client.put(f"/genres/{genre_id}", json={"name": name + "!"}, headers=writer.headers).status_code
        == 403
    )
    assert (
        client.put(f"/genres/{genre_id}", json={"name": name + "!"}, headers=admin.headers).json["name"]
        == name + "!"
    )
    make_notebook(writer, genre_id=genre_id)
    assert client.delete(f"/genres/{genre_id}", headers=admin.headers).status_code == 409
    unused = client.post("/genres", json={"name": unique("Unused ")}, headers=admin.headers).json["id"]
    assert client.delete(f"/genres/{unused}", headers=writer.headers).status_code == 403
    assert client.delete(f"/genres/{unused}", headers=admin.headers).status_code == 204
    assert client.get(f"/genres/{unused}").status_code == 404


def test_follow_is_idempotent_owned_by_the_caller_and_listed(client, writer, reader, make_notebook):
    notebook = make_notebook(writer)["id"]
    url = f"/notebooks/{notebook}/follow"
    assert client.put(url).status_code == 401
    assert client.get(url, headers=reader.headers).json == {"following": False}
    assert client.put(url, headers=reader.headers).status_code == 201
    assert client.put(url, headers=reader.headers).status_code == 200
    assert client.get(url, headers=reader.headers).json == {"following": True}
    assert client.put(url, headers=writer.headers).status_code == 409  # not your own work
    assert client.get(f"/notebooks/{notebook}").json["follower_count"] == 1
    listed = client.get(f"/users/{reader.id}/follows").json
    assert [item["id"] for item in listed["items"]] == [notebook]
    assert client.delete(url, headers=writer.headers).status_code == 404  # only your own follow
    assert client.delete(url, headers=reader.headers).status_code == 204
    assert client.delete(url, headers=reader.headers).status_code == 404
    assert client.put("/notebooks/987654321/follow", headers=reader.headers).status_code == 404


def test_tags_are_normalised_counted_and_prefix_searched_literally(client, writer, make_notebook, unique):
    stem = unique("t")
    notebook = make_notebook(writer, tags=[f"{stem} Alpha"])["id"]
    replaced = client.put(
        f"/notebooks/{notebook}/tags", json={"tags": [f"{stem}  BETA", f"{stem}_x"]}, headers=writer.headers
    )
    assert replaced.json["tags"] == [f"{stem} beta", f"{stem}_x"]
    make_notebook(writer, tags=[f"{stem} beta"])
    listed = client.get(f"/tags?prefix={stem}").json
    assert listed["items"] == [{"name": f"{stem} beta", "works": 2}, {"name": f"{stem}_x", "works": 1}]
    # "_" and "%" are literal characters in a prefix, not LIKE wildcards.
    assert [item["name"] for item in client.get(f"/tags?prefix={stem}_").json["items"]] == [f"{stem}_x"]
    assert client.get("/tags?prefix=%25").json["total"] == 0
