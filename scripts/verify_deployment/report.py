"""What the user reads: one PASS/FAIL/WARN/NOTE line per finding, then one closing line.

Every FAIL and WARN names its check with a literal identifier, documented with its fix in
docs/deployment.md's troubleshooting section (tests/stack/test_troubleshooting_guide.py reads the
identifiers from the calls to `failed`, `unanswered` and `warned` in this package, so they must stay
literals).
"""

from __future__ import annotations

from . import probe


class Report:
    """PASS/FAIL/WARN lines, printed as they are found (a slow check shows what came before it)."""

    def __init__(self) -> None:
        self.failures = 0

    def passed(self, what: str) -> None:
        print(f"PASS  {what}")

    def failed(self, check: str, what: str, fix: str) -> None:
        self.failures += 1
        print(f"FAIL  [{check}] {what}\n      -> {fix}")

    def unanswered(self, check: str, what: str, error: BaseException, fix: str) -> None:
        """A FAIL for a request nothing answered, with the network's reason: '{what} ({reason})'."""
        self.failed(check, f"{what} ({probe.reason(error)})", fix)

    def warned(self, check: str, what: str, fix: str) -> None:
        print(f"WARN  [{check}] {what}\n      -> {fix}")

    def note(self, what: str) -> None:
        print(f"NOTE  {what}")

    def conclude(self, base: str, public: bool) -> int:
        """The closing lines and the exit status: 1 if anything failed (a WARN alone does not fail)."""
        if self.failures:
            print(f"\n{self.failures} check(s) failed: fix them before connecting ChatGPT or Claude.")
            print("Each [check] and its fix: docs/deployment.md, section 7 (Troubleshooting).")
            return 1
        if not public:
            print(
                f"\nAll checks passed for {base}, a local address: ChatGPT and Claude need your public "
                "https:// address; run this again with it."
            )
            return 0
        print("\nAll checks passed: add the connector with URL " + base + "/mcp")
        return 0
