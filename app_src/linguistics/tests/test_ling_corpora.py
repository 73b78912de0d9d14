"""Corpus fetching refuses unexpected bytes; parsing maps ratings and classes to the right labels."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import pytest

from sinpluma_linguistics.training import corpora
from sinpluma_linguistics.training.corpora import CorpusError, CorpusSource, LabelledText, RatedText
from sinpluma_linguistics.training.learning import NEUTRAL_BAND, binary_training_set


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _writer(content: bytes, name: str) -> CorpusSource:
    script = f"import pathlib,sys; pathlib.Path(sys.argv[1], {name!r}).write_bytes({content!r})"
    return CorpusSource(
        name="fake",
        source="test",
        file_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        fetch_command=lambda dest: [sys.executable, "-c", script, str(dest)],
    )


def test_fetch_verifies_and_caches(tmp_path: Path) -> None:
    source = _writer(b"corpus bytes", "corpus.tgz")
    path = corpora.fetch(source, tmp_path)
    assert path.read_bytes() == b"corpus bytes"
    offline = CorpusSource(source.name, source.source, source.file_name, source.sha256, lambda d: ["false"])
    assert corpora.fetch(offline, tmp_path) == path  # served from the cache, no command run


def test_fetch_refuses_a_download_with_another_sha256(tmp_path: Path) -> None:
    source = _writer(b"tampered", "corpus.tgz")
    wrong = CorpusSource(source.name, source.source, source.file_name, "0" * 64, source.fetch_command)
    with pytest.raises(CorpusError, match="expected the pinned"):
        corpora.fetch(wrong, tmp_path)
    assert not (tmp_path / "corpus.tgz").exists()


def test_fetch_reports_a_missing_client(tmp_path: Path) -> None:
    source = CorpusSource("fake", "test", "x.tgz", "0" * 64, lambda d: ["no-such-client-xyz"])
    with pytest.raises(CorpusError, match="not installed"):
        corpora.fetch(source, tmp_path)


def test_vader_ground_truth_is_parsed_from_the_nested_tarball(tmp_path: Path) -> None:
    inner = _tar_gz(
        {
            "hutto/tweets_GroundTruth.txt": b"1\t2.5\tI &amp; you love it\r\n2\t-3.1\tawful\r\n",
            "hutto/amazon_GroundTruth.txt": b"1_1\t0.2\tmeh\r\n",
            "hutto/tweets_anonDataRatings.txt": b"ignored",
        }
    )
    sdist = tmp_path / "v.tar.gz"
    sdist.write_bytes(_tar_gz({"vader-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz": inner}))
    assert corpora.load_vader(sdist) == [
        RatedText("meh", 0.2),
        RatedText("I & you love it", 2.5),
        RatedText("awful", -3.1),
    ]


def test_uci_class_one_is_positive_and_empty_trailers_are_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(corpora, "UCI_EXPECTED_ITEMS", 3)
    fixtures = {
        "package/test/fixtures/amazon.json": [
            {"text": "Great phone.", "class": 1},
            {"text": "", "class": None},
        ],
        "package/test/fixtures/imdb.json": [{"text": "Dull film.  ", "class": 0}],
        "package/test/fixtures/yelp.json": [{"text": "Loved it", "class": 1}],
    }
    tarball = tmp_path / "s.tgz"
    tarball.write_bytes(_tar_gz({name: json.dumps(rows).encode() for name, rows in fixtures.items()}))
    assert corpora.load_uci(tarball) == [
        LabelledText("Great phone.", True),
        LabelledText("Dull film.", False),
        LabelledText("Loved it", True),
    ]


def test_uci_with_an_unexpected_count_is_refused(tmp_path: Path) -> None:
    rows = json.dumps([{"text": "ok", "class": 1}]).encode()
    tarball = tmp_path / "s.tgz"
    tarball.write_bytes(
        _tar_gz({f"package/test/fixtures/{n}.json": rows for n in ("amazon", "imdb", "yelp")})
    )
    with pytest.raises(CorpusError, match="expected 3000"):
        corpora.load_uci(tarball)


def test_training_labels_follow_the_sign_of_the_mean_and_drop_the_neutral_band() -> None:
    rated = [
        RatedText("loved", 2.0),
        RatedText("hated", -1.5),
        RatedText("slightly up", NEUTRAL_BAND + 0.01),
        RatedText("slightly down", -NEUTRAL_BAND - 0.01),
        RatedText("neutral", 0.0),
        RatedText("on the edge", NEUTRAL_BAND),
        RatedText("", 3.0),
    ]
    training = binary_training_set(rated)
    assert training.texts == ["loved", "hated", "slightly up", "slightly down"]
    assert training.labels == [1, 0, 1, 0]
