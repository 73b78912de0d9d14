"""The two pinned, human-labelled corpora: fetched by their registries' own clients, verified by sha256.

Training: VADER ground truth (Hutto & Gilbert, ICWSM 2014, MIT licence), inside the vaderSentiment
3.3.2 source distribution. Held-out test: the UCI "Sentiment Labelled Sentences" (Kotzias et al.
2015, CC BY 4.0), shipped as test fixtures of the npm package sentiment@5.0.2.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class CorpusError(RuntimeError):
    """A corpus could not be fetched, does not match its pinned sha256, or has an unexpected shape."""


@dataclass(frozen=True)
class CorpusSource:
    name: str
    source: str
    file_name: str
    sha256: str
    fetch_command: Callable[[Path], list[str]]


VADER = CorpusSource(
    name="vader-ground-truth",
    source="PyPI vaderSentiment==3.3.2 sdist, additional_resources/hutto_ICWSM_2014.tar.gz",
    file_name="vaderSentiment-3.3.2.tar.gz",
    sha256="5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9",
    fetch_command=lambda dest: [
        sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
        "--no-deps", "--no-binary", "vadersentiment", "--dest", str(dest), "vaderSentiment==3.3.2",
    ],
)  # fmt: skip
UCI = CorpusSource(
    name="uci-sentiment-labelled-sentences",
    source="npm sentiment@5.0.2, package/test/fixtures/{amazon,imdb,yelp}.json",
    file_name="sentiment-5.0.2.tgz",
    sha256="89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f",
    fetch_command=lambda dest: [
        "npm",
        "pack",
        "--silent",
        "--pack-destination",
        str(dest),
        "sentiment@5.0.2",
    ],
)

_VADER_INNER = "additional_resources/hutto_ICWSM_2014.tar.gz"
_UCI_FIXTURES = ("amazon", "imdb", "yelp")
UCI_EXPECTED_ITEMS = 3000


@dataclass(frozen=True)
class RatedText:
    text: str
    mean_rating: float  # -4 (most negative) .. +4 (most positive), mean of >= 20 human raters


@dataclass(frozen=True)
class LabelledText:
    text: str
    positive: bool


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(source: CorpusSource, cache_dir: Path) -> Path:
    """Return the verified corpus file, downloading it only when the cache lacks a good copy."""
    cached = cache_dir / source.file_name
    if cached.is_file() and sha256_file(cached) == source.sha256:
        return cached
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        command = source.fetch_command(Path(tmp))
        try:
            subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
        except FileNotFoundError:
            raise CorpusError(f"cannot fetch {source.name}: {command[0]!r} is not installed") from None
        except subprocess.CalledProcessError as error:
            raise CorpusError(
                f"cannot fetch {source.name} with {' '.join(command)}: {error.stderr.strip()[-2000:]}"
            ) from None
        downloaded = Path(tmp) / source.file_name
        if not downloaded.is_file():
            found = sorted(p.name for p in Path(tmp).iterdir())
            raise CorpusError(f"fetching {source.name} produced {found}, not {source.file_name}")
        actual = sha256_file(downloaded)
        if actual != source.sha256:
            raise CorpusError(
                f"{source.file_name} has sha256 {actual}, expected the pinned {source.sha256}; refusing it"
            )
        shutil.move(downloaded, cached)
    return cached


def load_vader(sdist: Path) -> list[RatedText]:
    """Every *_GroundTruth.txt row (id TAB mean TAB text), files in name order, rows in file order."""
    inner = _read_member(sdist, lambda name: name.endswith(_VADER_INNER))
    rows: list[RatedText] = []
    with tarfile.open(fileobj=io.BytesIO(inner), mode="r:gz") as archive:
        members = sorted(
            (m for m in archive.getmembers() if m.isfile() and m.name.endswith("_GroundTruth.txt")),
            key=lambda m: m.name,
        )
        if not members:
            raise CorpusError(f"{sdist.name}: no *_GroundTruth.txt files in {_VADER_INNER}")
        for member in members:
            text = archive.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
            for number, line in enumerate(text.splitlines(), start=1):
                parts = line.split("\t")
                if len(parts) != 3:
                    raise CorpusError(f"{member.name}:{number}: expected 3 tab-separated fields")
                # The tweets carry HTML entities (&amp;); the service sees plain text.
                rows.append(RatedText(text=html.unescape(parts[2]).strip(), mean_rating=float(parts[1])))
    return rows


def load_uci(tarball: Path) -> list[LabelledText]:
    """The 3,000 labelled sentences; class 1 is positive, class 0 negative, empty trailers skipped."""
    rows: list[LabelledText] = []
    for fixture in _UCI_FIXTURES:
        raw = _read_member(tarball, lambda name, f=fixture: name == f"package/test/fixtures/{f}.json")
        for entry in json.loads(raw):
            label = entry.get("class")
            text = entry.get("text")
            if label is None and not text:
                continue
            if label not in (0, 1) or not isinstance(text, str) or not text.strip():
                raise CorpusError(f"{fixture}.json: unexpected entry {entry!r}")
            rows.append(LabelledText(text=text.strip(), positive=label == 1))
    if len(rows) != UCI_EXPECTED_ITEMS:
        raise CorpusError(
            f"{tarball.name}: found {len(rows)} labelled sentences, expected {UCI_EXPECTED_ITEMS}"
        )
    return rows


def _read_member(archive_path: Path, wanted: Callable[[str], bool]) -> bytes:
    # Members are read into memory; nothing from an archive is ever written to disk.
    with tarfile.open(archive_path, mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.isfile() and wanted(member.name):
                return archive.extractfile(member).read()  # type: ignore[union-attr]
    raise CorpusError(f"{archive_path.name}: expected member not found")
