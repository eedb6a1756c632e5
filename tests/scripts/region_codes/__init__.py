"""Tests of scripts/region_codes and scripts/update-region-codes."""
