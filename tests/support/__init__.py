"""Test-only stand-ins and process helpers shared by the unit, service and end-to-end suites."""
