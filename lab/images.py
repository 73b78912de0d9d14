"""Lab base images: Debian rootfs built with debootstrap, imported into Docker, cached by recipe hash.

No container registry is reachable, so every image is built locally from Debian packages.
The image tag is a hash of the recipe: a second run finds the tag and does nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

MIRROR = os.environ.get("LAB_DEBIAN_MIRROR", "http://deb.debian.org/debian")
IMAGE_REPO = "sinpluma-lab"
# Bump when the build steps below change in a way the recipe fields do not capture.
BUILD_STEPS_VERSION = "4"
DEBOOTSTRAP_ATTEMPTS = 3

BASE_PACKAGES = (
    "systemd",
    "systemd-sysv",
    "dbus",
    "python3",
    "python3-apt",
    "ca-certificates",
    "iproute2",
    "procps",
    "gnupg",
    "libcap2-bin",
)

# Units that make no sense in a container and only slow the boot or fail.
MASKED_UNITS = (
    "getty.target",
    "console-getty.service",
    "systemd-firstboot.service",
    "systemd-remount-fs.service",
    "sys-kernel-config.mount",
    "sys-kernel-debug.mount",
    "sys-kernel-tracing.mount",
    "systemd-udevd.service",
    "systemd-udev-trigger.service",
    "systemd-modules-load.service",
)


@dataclass(frozen=True)
class Recipe:
    name: str
    suite: str
    packages: tuple[str, ...] = field(default=BASE_PACKAGES)
    mirror: str = MIRROR

    def digest(self) -> str:
        payload = json.dumps({**asdict(self), "steps": BUILD_STEPS_VERSION}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    @property
    def tag(self) -> str:
        return f"{IMAGE_REPO}/{self.name}:{self.digest()}"


RECIPES = {
    "sid": Recipe("sid", "sid"),
    "debian13": Recipe("debian13", "trixie"),
    "debian12": Recipe("debian12", "bookworm"),
}


def image_tag(name: str) -> str:
    """The tag of a lab image by its short name (sid, debian12, debian13)."""
    try:
        return RECIPES[name].tag
    except KeyError:
        raise SystemExit(f"unknown lab image {name!r}; known: {', '.join(RECIPES)}") from None


def image_exists(tag: str) -> bool:
    return (
        subprocess.run(["docker", "image", "inspect", tag], capture_output=True, check=False).returncode == 0
    )


def _configure_rootfs(root: Path) -> None:
    (root / "etc/apt/apt.conf.d/99lab").write_text(
        '// The lab mirror may be a frozen snapshot whose Release files are "expired".\n'
        'Acquire::Check-Valid-Until "false";\n'
        'APT::Install-Recommends "false";\n'
    )
    # Each container must generate its own machine-id at first boot.
    (root / "etc/machine-id").write_text("")
    dbus_id = root / "var/lib/dbus/machine-id"
    if dbus_id.exists() or dbus_id.is_symlink():
        dbus_id.unlink()
    for unit in MASKED_UNITS:
        link = root / "etc/systemd/system" / unit
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to("/dev/null")
    shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    # The package lists stay: a fresh host installs without an `apt-get update` first, and
    # roles refresh them anyway once they are older than their cache_valid_time.


def debootstrap(recipe: Recipe, workdir: Path, pkg_cache: Path, attempts: int = DEBOOTSTRAP_ATTEMPTS) -> Path:
    """A rootfs of `recipe` under `workdir`. A failed attempt (a mirror that drops a download, seen on
    a fresh machine) shows the end of debootstrap's log and is retried from an empty directory, so
    no attempt builds on a half-made rootfs; the package cache keeps what was fetched."""
    command = [
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(recipe.packages)}",
        f"--cache-dir={pkg_cache}",
    ]
    for attempt in range(1, attempts + 1):
        root = workdir / f"rootfs-{attempt}"
        result = subprocess.run(
            [*command, recipe.suite, str(root), recipe.mirror], stdout=subprocess.DEVNULL, check=False
        )
        if result.returncode == 0:
            return root
        log = root / "debootstrap" / "debootstrap.log"
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else "(no log)"
        failure = f"attempt {attempt} of {attempts}, exit {result.returncode}"
        print(f"[images] debootstrap {recipe.suite} failed ({failure}):")
        print(tail)
        shutil.rmtree(root, ignore_errors=True)
    raise SystemExit(f"debootstrap of {recipe.suite} failed {attempts} times; the log's end is above")


def build(recipe: Recipe, cache_dir: Path) -> str:
    tag = recipe.tag
    if image_exists(tag):
        print(f"[images] {tag} is cached")
        return tag
    if shutil.which("debootstrap") is None:
        raise SystemExit("debootstrap is missing: run 'make setup' first")
    pkg_cache = cache_dir / "debootstrap" / recipe.suite
    pkg_cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"lab-{recipe.name}-", dir=cache_dir) as tmp:
        print(f"[images] building {tag} with debootstrap ({recipe.suite}); this takes a few minutes")
        root = debootstrap(recipe, Path(tmp), pkg_cache)
        _configure_rootfs(root)
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            [
                "docker",
                "import",
                "--change",
                'CMD ["/lib/systemd/systemd"]',
                "--change",
                "ENV container=docker",
                "-",
                tag,
            ],
            stdin=tar.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if tar.wait() != 0:
            raise SystemExit(f"tar of the {recipe.name} rootfs failed")
    subprocess.run(["docker", "tag", tag, f"{IMAGE_REPO}/{recipe.name}:latest"], check=True)
    print(f"[images] built {tag}")
    return tag


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build (or find cached) lab base images.")
    parser.add_argument("names", nargs="*", default=list(RECIPES), help="images to build (default: all)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(os.environ.get("LAB_CACHE_DIR", Path.home() / ".cache" / "sinpluma-lab")),
    )
    parser.add_argument("--print-tag", action="store_true", help="print the tag of each image and exit")
    args = parser.parse_args(argv)
    if args.print_tag:
        for name in args.names:
            print(image_tag(name))
        return 0
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        if name not in RECIPES:
            parser.error(f"unknown image {name!r}; known: {', '.join(RECIPES)}")
        build(RECIPES[name], args.cache_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
