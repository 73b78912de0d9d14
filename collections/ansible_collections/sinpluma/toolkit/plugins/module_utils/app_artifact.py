"""A Python application artifact (a wheelhouse with a SHA256SUMS manifest, made by
buildtools/wheelhouse.py) checked before anything is installed from it.

Intact means: every file the manifest lists has that sha256, no file is missing from the manifest
(an added wheel would be installable), exactly one wheel of the application's own package is
there (its version names the release), and any pinned file (SHA256SUMS itself, a model manifest)
has the pinned sha256. The release id is `<version>-<first 12 hex of SHA256SUMS' sha256>`, so a
rebuild with other contents is a new release even at the same version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "SHA256SUMS"
BUILD_STAMP = ".inputs.sha256"  # buildtools/wheelhouse.py: the inputs a build came from
_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ArtifactReport:
    version: str | None = None
    manifest_sha256: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def release(self) -> str | None:
        if self.version is None or self.manifest_sha256 is None:
            return None
        return f"{self.version}-{self.manifest_sha256[:12]}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_manifest(text: str) -> tuple[dict[str, str], list[str]]:
    """{relative path: sha256} and the problems of the lines that are not `<sha256>  <path>`."""
    entries, problems = {}, []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match or match.group(2).startswith("/") or ".." in Path(match.group(2)).parts:
            problems.append(f"{MANIFEST} line {number} is not '<sha256>  <relative path>'")
            continue
        entries[match.group(2)] = match.group(1)
    return entries, problems


def wheel_version(wheel_names: list[str], package: str) -> tuple[str | None, str | None]:
    """(version, problem) of the one wheel of `package` among `wheel_names`."""
    prefix = re.sub(r"[-_.]+", "_", package).lower() + "-"
    versions = sorted(
        {name[len(prefix) :].split("-", 1)[0] for name in wheel_names if name.lower().startswith(prefix)}
    )
    if len(versions) != 1:
        found = ", ".join(versions) or "none"
        return None, f"expected exactly one wheel of {package} in wheels/, found {found}"
    return versions[0], None


def check(root: Path, package: str, pins: dict[str, str] | None = None) -> ArtifactReport:
    """The report on the artifact in `root`; `pins` maps relative paths (SHA256SUMS included) to the
    sha256 they must have."""
    report = ArtifactReport()
    manifest = root / MANIFEST
    if not manifest.is_file():
        report.problems.append(f"{manifest} is missing: not an artifact (build it first)")
        return report
    report.manifest_sha256 = sha256_file(manifest)
    entries, report.problems = parse_manifest(manifest.read_text(errors="replace"))
    present = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != MANIFEST}
    present.discard(BUILD_STAMP)  # the builder's cache stamp, not installed
    for path in sorted(set(entries) - present):
        report.problems.append(f"{path} is listed in {MANIFEST} but missing")
    for path in sorted(present - set(entries)):
        report.problems.append(f"{path} is not listed in {MANIFEST}")
    for path in sorted(set(entries) & present):
        actual = sha256_file(root / path)
        if actual != entries[path]:
            report.problems.append(f"{path} has sha256 {actual}, {MANIFEST} says {entries[path]}")
    for path, expected in sorted((pins or {}).items()):
        expected = expected.strip().lower()
        if not _SHA256.match(expected):
            report.problems.append(f"the pin of {path} is not 64 hexadecimal characters")
        elif not (root / path).is_file():
            report.problems.append(f"{path} is pinned but missing")
        elif sha256_file(root / path) != expected:
            report.problems.append(f"{path} has sha256 {sha256_file(root / path)}, pinned {expected}")
    wheels = [p.split("/", 1)[1] for p in present if p.startswith("wheels/") and p.endswith(".whl")]
    report.version, problem = wheel_version(wheels, package)
    if problem:
        report.problems.append(problem)
    return report
