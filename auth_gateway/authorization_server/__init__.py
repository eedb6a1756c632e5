"""The built-in OAuth authorization server: /oauth/authorize, /oauth/token, /oauth/register, /oauth/revoke.

Mounted only in AUTH_MODE=oauth with OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET; its owner-login part
(self-registered clients, the login page) only with OWNER_PASSWORD_HASH too. `routes/` words every
answer; the modules beside it check requests and keep codes, refresh tokens and clients.
"""
