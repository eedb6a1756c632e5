"""Tests of the operator scripts, mirroring scripts/."""
