"""Tests of the auth gateway, mirroring auth_gateway/."""
