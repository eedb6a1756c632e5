"""./scripts/verify-deployment as a package: the standard library only, so it runs with any Python 3.8+
on a machine without the project's .venv (the launcher puts scripts/ on sys.path and runs `cli`).

    cli.py          the command line, the exit status
    registry.py     the checks in the order a client discovers a server
    deployment.py   the address checked, the options, what the checks learned; .env readings
    probe.py        HTTP without following redirects; network errors and their reasons
    mcp.py          speaking to /mcp as a client does (headers, JSON or SSE answers, refusals)
    oauth.py        the authorization request, PKCE and token requests of the round trip
    report.py       the PASS/FAIL/WARN/NOTE lines and the closing line
    checks/         one module per check (reachable, certificate, public, status_data, ...)
"""
