"""Unit tests of scripts/verify_deployment/, mirroring the package."""
