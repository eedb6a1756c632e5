"""A local OpenID Connect issuer on a loopback port: the test stand-in for Auth0 and other issuers.

It is a real HTTP server so the gateway's discovery, JWKS fetch and the MCP SDK's OAuth client cross a
real socket exactly as they do against Auth0. Import from the module that does the job:

- ``issuer``: ``OidcTestIssuer`` and ``DEFAULT_SCOPES``, the object tests start, mint with and steer
- ``jws``: ``b64url``, the signing keys, their JWKS document and compact JWS signing
- ``authorization``: dynamic client registration, ``/authorize`` and ``/oauth/token``
- ``http_server``: the loopback socket, request routing, hit counts, outages and stalls
"""
