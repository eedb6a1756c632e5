"""Secrets both rooms check: keys derived from the client secret, the gateway's own JWTs, the owner's
password hash, and the identity a verified token speaks for."""
