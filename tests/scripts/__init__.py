"""Tests of the operator commands' packages under scripts/."""
