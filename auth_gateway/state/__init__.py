"""The SQLite state file (OAUTH_STATE_PATH) and what both rooms read from it: revoked sign-ins,
users, the door and ended sessions (`./scripts/access`)."""
