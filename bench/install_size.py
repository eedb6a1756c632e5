"""What each way of installing real-estate-mcp puts on disk (target: the runtime ≤ 150 MB).

  ./scripts/ensure-venv run && .venv/bin/python bench/install_size.py [--desktop PATH]

Measures environments that already exist, so it needs no network: `.venv-run` (what ./scripts/dev and the
systemd unit run: `requirements/run.txt`), `.venv` (./scripts/test: everything plus the test tools) and,
with --desktop, a virtual environment holding what pipx or uvx install for a desktop client (the package
with its `mcp-server` extra; e.g. `python3 -m venv /tmp/d && /tmp/d/bin/pip install -r
requirements/mcp-server.txt && /tmp/d/bin/pip install --no-deps .`). Sizes are apparent file sizes in
MB (10^6 bytes), like `du --apparent-size`; the largest entries show where the space goes.
Results: bench/results/install_size.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "install_size.json"
TARGET_MB = 150


def size_of(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        total += sum((Path(root) / name).lstat().st_size for name in files)
    return total


def largest(venv: Path, count: int = 6) -> list[tuple[str, float]]:
    site = next(venv.glob("lib/python3*/site-packages"), None)
    entries = [*(site.iterdir() if site else []), *(venv / "bin").iterdir()]
    sized = sorted(((size_of(entry), entry) for entry in entries), key=lambda pair: pair[0], reverse=True)
    return [(str(entry.relative_to(venv)), round(size / 1e6, 1)) for size, entry in sized[:count]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", type=Path, help="a venv with the package and its mcp-server extra")
    args = parser.parse_args()
    environments = {"run (.venv-run)": REPO / ".venv-run", "dev (.venv)": REPO / ".venv"}
    if args.desktop:
        environments["desktop (pipx/uvx)"] = args.desktop
    if not (REPO / ".venv-run" / "bin" / "python").exists():
        print("no .venv-run: run ./scripts/ensure-venv run first", file=sys.stderr)
        return 2
    figures = {}
    for name, venv in environments.items():
        if not venv.exists():
            continue
        total = round(size_of(venv.resolve()) / 1e6, 1)
        figures[name] = {"path": str(venv), "mb": total, "largest": largest(venv.resolve())}
        print(
            f"{name:22} {total:7.1f} MB   largest: "
            + ", ".join(f"{e} {mb}" for e, mb in figures[name]["largest"])
        )
    run_mb = figures["run (.venv-run)"]["mb"]
    verdict = "within" if run_mb <= TARGET_MB else "OVER"
    print(f"runtime {run_mb} MB: {verdict} the {TARGET_MB} MB target")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": platform.platform(),
                "python": platform.python_version(),
                "command": " ".join(sys.argv),
                "figures": figures,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0 if run_mb <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
