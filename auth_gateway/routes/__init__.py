"""HTTP endpoints: /verify (forward_auth), /oauth/token (client_credentials), /healthz."""
