"""A fake Auth0 Management API v2 on a loopback port: the stand-in for a real tenant in tests/auth0_admin.

Import from the module that does the job:

- ``api``: ``FakeManagementApi``, the server tests start, seed and steer (rate limits, failures, logs)
- ``credentials``: the tenant domain, the M2M client's id and secret, the token, every scope
- ``tenant``: the tenant's objects and the Management API calls that read and change them
- ``answers``: Auth0's error body and its two paging styles
- ``http_server``: the loopback socket and the bearer check in front of /api/v2
"""
