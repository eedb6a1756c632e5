"""The plan: read the tenant once and turn what was read into the items, in the order they print.

Planning, applying and checking are the same reads: ./scripts/auth0-setup calls `plan()` to show what
it would change, runs the pending items' changes, then calls `plan()` again and reports an item with
nothing left to change as PASS. So `plan()` only reads, and every change an item makes is the
`Item.apply` it carries, made later by setup_cli.py after the permissions are checked.

The reads happen here, once per plan, and every item judges the same snapshot: the tenant settings
feed five items, the connection three, the API two. The third-party grant is read by its own item
(api_items.third_party_item), which alone looks at it.

Requests (Auth0 Management API v2), all through the SDK:
  GET /api/v2/tenants/settings
  GET /api/v2/resource-servers?identifiers=…
  GET /api/v2/connections?name=…
  (and, from api_items.third_party_item, GET /api/v2/client-grants?audience=…)
"""

from __future__ import annotations

from auth0.management import Auth0

from auth0_admin.management import as_dict
from auth0_admin.tenant_setup.api_items import api_item, permissions_item, third_party_item
from auth0_admin.tenant_setup.connection_items import (
    application_connections_item,
    domain_level_item,
    signups_item,
)
from auth0_admin.tenant_setup.find_or_create import find_api, find_connection
from auth0_admin.tenant_setup.items import Desired, Item
from auth0_admin.tenant_setup.settings_items import (
    cimd_item,
    dcr_item,
    default_audience_item,
    issuer_item,
    resource_parameter_item,
)

__all__ = ["plan"]


def plan(client: Auth0, desired: Desired) -> list[Item]:
    settings = as_dict(client.tenants.settings.get())
    api = find_api(client, desired.identifier)
    connection = find_connection(client, desired.connection)
    return [
        api_item(client, desired, api),
        permissions_item(client, desired, api),
        third_party_item(client, desired),
        default_audience_item(client, desired, settings)
        if desired.default_audience
        else resource_parameter_item(client, settings),
        issuer_item(client, settings),
        dcr_item(client, settings),
        domain_level_item(client, desired, connection),
        application_connections_item(desired, settings, connection),
        signups_item(client, desired, connection),
        cimd_item(client, settings),
    ]
