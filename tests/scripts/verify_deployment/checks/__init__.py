"""Unit tests of scripts/verify_deployment/checks/, one file per check."""
