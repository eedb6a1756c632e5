"""Where the upstream fixtures (synthetic data.go.kr / odcloud answers) live: ``tests/fixtures/upstream``.

The files follow the documented formats byte for byte; their README lists the figures each one must give.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "upstream"
