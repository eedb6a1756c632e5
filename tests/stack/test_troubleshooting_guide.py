"""Every FAIL and WARN that ./scripts/verify-deployment can print is explained, with its fix, in
docs/deployment.md's troubleshooting section (and in docs/ko/deployment.md's, for Korean readers), and
the section explains nothing the script cannot print.

The script names each check with a literal identifier (`report.failed("issuer", ...)`, likewise
`report.warned` and `report.unanswered`, a FAIL for a request nothing answered), so the set of
identifiers is read from the syntax trees of its package (scripts/verify_deployment/), without running
it against every possible misconfiguration.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "scripts" / "verify_deployment"
# Each guide and the heading of its section on verify-deployment's lines.
GUIDES = {
    REPO / "docs" / "deployment.md": "### verify-deployment FAIL and WARN lines",
    REPO / "docs" / "ko" / "deployment.md": "### verify-deployment의 FAIL·WARN 줄",
}
each_guide = pytest.mark.parametrize("guide", GUIDES, ids=lambda path: str(path.relative_to(REPO)))


def printed_checks() -> dict[str, set[str]]:
    """identifier -> the kinds of line ("failed", "warned") it is printed in."""
    checks: dict[str, set[str]] = {}
    for module in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("failed", "unanswered", "warned")
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self")
            ):
                continue  # (Report passing its caller's identifier on is not a check of its own)
            first = node.args[0] if node.args else None
            literal = first.value if isinstance(first, ast.Constant) else None
            assert isinstance(literal, str), (
                f"{module.relative_to(REPO)}, line {node.lineno}: the check identifier must be a string "
                "literal, so this test can see it"
            )
            checks.setdefault(literal, set()).add("warned" if node.func.attr == "warned" else "failed")
    assert checks, f"no report.failed/warned calls found under {PACKAGE.relative_to(REPO)}"
    return checks


def documented_checks(guide: Path) -> dict[str, str]:
    """identifier -> its row in the guide's table."""
    text, heading = guide.read_text(encoding="utf-8"), GUIDES[guide]
    assert heading in text, f"{guide.relative_to(REPO)} lost its {heading!r} section"
    section = text.split(heading, 1)[1].split("\n#", 1)[0]
    return {match[1]: match[0] for match in re.findall(r"^(\| `([a-z-]+)`.*)$", section, re.M)}


@each_guide
def test_every_check_the_script_prints_is_documented_and_nothing_else(guide: Path) -> None:
    assert set(documented_checks(guide)) == set(printed_checks())


@each_guide
def test_each_row_gives_a_meaning_and_a_fix(guide: Path) -> None:
    for check, row in documented_checks(guide).items():
        cells = [cell.strip() for cell in row.strip("|").split("|") if cell.strip()]
        assert len(cells) >= 3, f"{check}: the row needs 'FAIL means' and 'fix' cells"


@each_guide
def test_warnings_are_marked_as_such(guide: Path) -> None:
    rows = documented_checks(guide)
    for check, methods in printed_checks().items():
        assert ("(WARN)" in rows[check]) == (methods == {"warned"}), check
