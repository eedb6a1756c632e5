"""The Auth0 tenant state docs/deployment.md section 4 asks for, as items to plan, apply and check.

Each item reads the tenant, says what it found and, when that differs from what ChatGPT and Claude need,
what it would change and why. `plan.plan()` only reads; applying runs each item's change
(./scripts/auth0-setup --apply, setup_cli.py); reading back is `plan()` again: an item with nothing left
to change PASSes.

    plan.py              the one read of the tenant and the items in the order they are printed
    items.py             what a plan is made of: the wanted state (`Desired`) and one `Item`
    fixes.py             the FAIL / UNKNOWN identifiers and the fix printed with each
    find_or_create.py    finding the API, grant and connection; a create that is never repeated
    api_items.py         the API (resource server), its permissions, the third-party applications' grant
    settings_items.py    the tenant settings: resource parameter or default audience, iss, DCR, CIMD
    connection_items.py  the login connection: domain level, application connections, sign-ups
"""
