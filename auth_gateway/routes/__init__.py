"""HTTP endpoints: /verify (forward_auth), /oauth/authorize and /oauth/token (the built-in
authorization server), /healthz."""
