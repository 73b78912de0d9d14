"""Search: FULLTEXT ngram on title and synopsis, plus author and tag; ranked; paginated; literal LIKE."""

from __future__ import annotations


def ids(response):
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_partial_words_in_title_and_synopsis_match(client, writer, make_notebook, unique):
    word = unique("zq")[:10]
    in_title = make_notebook(writer, title=f"The {word}ling saga", synopsis="nothing")["id"]
    in_synopsis = make_notebook(writer, title="Other", synopsis=f"a tale of {word}s")["id"]
    found = ids(client.get(f"/search?q={word[:8]}"))
    assert in_title in found and in_synopsis in found


def test_non_english_text_matches(client, writer, make_notebook):
    notebook = make_notebook(writer, title="東京の夜の物語", synopsis="Cuentos del niño pequeño")["id"]
    assert notebook in ids(client.get("/search?q=東京"))
    assert notebook in ids(client.get("/search?q=niño"))


def test_author_and_tag_match(client, register, make_notebook, unique):
    letters = "".join(chr(ord("a") + int(digit, 16)) for digit in unique("")[:10])
    author = register(last_name="Quix" + letters)
    by_author = make_notebook(author, title="Plain", synopsis="plain")["id"]
    tag = unique("lore")
    by_tag = make_notebook(author, title="Tagged", synopsis="plain", tags=[tag])["id"]
    assert by_author in ids(client.get(f"/search?q={author.user_name}"))
    assert by_author in ids(client.get(f"/search?q=quix{letters[:6]}"))
    assert by_tag in ids(client.get(f"/search?q={tag}"))


def test_results_are_ranked_and_paginated(client, writer, make_notebook, unique):
    word = unique("rk")[:9]
    weak = make_notebook(writer, title="unrelated", synopsis=f"mentions {word} once")["id"]
    strong = make_notebook(writer, title=f"{word} {word}", synopsis=f"{word} all about {word}")["id"]
    found = client.get(f"/search?q={word}&per_page=1").json
    assert found["total"] == 2 and found["items"][0]["id"] == strong
    assert found["items"][0]["score"] > 0
    assert ids(client.get(f"/search?q={word}&per_page=1&page=2")) == [weak]


def test_like_wildcards_are_literal_and_bad_queries_are_400(client):
    assert client.get("/search?q=%25").json["total"] == 0
    assert client.get("/search?q=_").json["total"] == 0
    assert client.get("/search").status_code == 400
    assert client.get("/search?q=").status_code == 400
    assert client.get("/search?q=" + "x" * 101).status_code == 400
