"""Where the recorded data.go.kr / odcloud answers live: ``tests/fixtures/upstream`` in this repository.

The files are upstream responses kept byte for byte; their README lists the figures each one must give.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "upstream"
