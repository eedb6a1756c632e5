"""A real loopback HTTP server standing in for apis.data.go.kr and api.odcloud.kr, serving the fixtures.

Used in a thread by the MCP tool tests, the end-to-end stacks and the benchmarks (``with
FixtureUpstream() as up:``), or as its own process for a stack run by hand (``python -m
tests.support.fixture_upstream --port N``, __main__.py). Import from the module that does the job:

- ``server``: ``FixtureUpstream``, the server tests start and steer, and its request logs
- ``molit``: the MOLIT real-transaction services, their fixture months and failure scenarios by LAWD_CD
- ``molit_pages``: pooling a month's fixture rows and re-paging them as the real service pages
- ``odcloud``: the odcloud (청약홈) services, their key check and ``cond[...]`` filters
- ``answers``: the fixture files, content types, the rejected key and lenient query integers
"""
