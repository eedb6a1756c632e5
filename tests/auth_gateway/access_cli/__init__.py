"""Tests of ./scripts/access, mirroring auth_gateway/access_cli/."""
