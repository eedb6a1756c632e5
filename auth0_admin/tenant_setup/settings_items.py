"""The items that are tenant-wide switches: how a token request names the API (resource parameter
profile, or the default audience), the issuer in authorization responses, dynamic client registration
and client ID metadata documents.

They all read one GET of the tenant settings (passed in by plan.py) and each changes only its own
fields, so one PATCH can never undo another item's switch.

Requests (Auth0 Management API v2), all through the SDK:
  PATCH /api/v2/tenants/settings   flags.enable_dynamic_client_registration, resource_parameter_profile,
                                   default_audience, authorization_response_iss_parameter_supported,
                                   client_id_metadata_document_(dynamic_registration_)supported
"""

from __future__ import annotations

from typing import Any

from auth0.management import Auth0

from auth0_admin.tenant_setup.items import Desired, Item

__all__ = ["cimd_item", "dcr_item", "default_audience_item", "issuer_item", "resource_parameter_item"]

TENANT_SETTINGS = ("update:tenant_settings",)


def resource_parameter_item(client: Auth0, settings: dict[str, Any]) -> Item:
    profile = settings.get("resource_parameter_profile", "audience")
    if profile == "compatibility":
        return Item("resource-parameter", "the Resource Parameter Compatibility Profile is on")
    return Item(
        "resource-parameter",
        f"resource_parameter_profile is {profile!r}",
        "set it to 'compatibility'",
        "MCP clients name the API with RFC 8707 'resource'; without this Auth0 issues opaque tokens",
        lambda: client.tenants.settings.update(resource_parameter_profile="compatibility"),
        requires=TENANT_SETTINGS,
    )


def default_audience_item(client: Auth0, desired: Desired, settings: dict[str, Any]) -> Item:
    current = settings.get("default_audience") or ""
    if current == desired.identifier:
        return Item("default-audience", f"the tenant's default audience is {desired.identifier}")
    return Item(
        "default-audience",
        f"the tenant's default audience is {current or 'not set'}",
        f"set it to {desired.identifier}",
        "tokens requested without 'audience' then carry the API's audience instead of being opaque",
        lambda: client.tenants.settings.update(default_audience=desired.identifier),
        requires=TENANT_SETTINGS,
    )


def issuer_item(client: Auth0, settings: dict[str, Any]) -> Item:
    # The dashboard's "Include Issuer in Authorization Responses" (Settings -> Advanced), which Auth0's
    # MCP guide turns on together with the Resource Parameter Compatibility Profile.
    if settings.get("authorization_response_iss_parameter_supported") is True:
        return Item("issuer-in-response", "authorization responses include the issuer (iss)")
    return Item(
        "issuer-in-response",
        "authorization responses do not include the issuer (iss)",
        "turn on Include Issuer in Authorization Responses",
        "with 'iss' on each redirect (RFC 9207) ChatGPT and Claude can tell your tenant's answer from "
        "another server's (mix-up attacks); clients that do not check it are unaffected",
        lambda: client.tenants.settings.update(authorization_response_iss_parameter_supported=True),
        requires=TENANT_SETTINGS,
        optional_feature=True,
    )


def dcr_item(client: Auth0, settings: dict[str, Any]) -> Item:
    if (settings.get("flags") or {}).get("enable_dynamic_client_registration") is True:
        return Item("dcr", "dynamic client registration is on")
    return Item(
        "dcr",
        "dynamic client registration is off",
        "turn it on",
        "ChatGPT and Claude register themselves; registering grants nothing, signing in does",
        lambda: client.tenants.settings.update(flags={"enable_dynamic_client_registration": True}),
        requires=TENANT_SETTINGS,
    )


def cimd_item(client: Auth0, settings: dict[str, Any]) -> Item:
    if "client_id_metadata_document_supported" not in settings:
        return Item(
            "cimd",
            "client ID metadata document support is not available on this tenant (nothing to do)",
            available=False,
        )
    flags = (
        "client_id_metadata_document_supported",
        "client_id_metadata_document_dynamic_registration_supported",
    )
    if all(settings.get(flag) is True for flag in flags):
        return Item("cimd", "client ID metadata document support and its dynamic registration are on")
    return Item(
        "cimd",
        "client ID metadata document support is available but off",
        "turn it and its dynamic registration on",
        "clients that identify themselves by a metadata URL need no registration at all",
        lambda: client.tenants.settings.update(**dict.fromkeys(flags, True)),
        requires=TENANT_SETTINGS,
        optional_feature=True,
    )
