"""The tenant-settings items (auth0_admin/tenant_setup/settings_items.py): default audience instead of the
resource parameter, and client ID metadata documents where the tenant offers them.

These are the settings whose change depends on a command option or on what the tenant supports, so each
path is run: turned on when offered, N/A (not a failure) when the tenant refuses.
"""

from __future__ import annotations

from tests.auth0_admin.conftest import DISPLAY_NAME, IDENTIFIER, OPTIONS
from tests.auth0_admin.setup_support import Run, verdicts
from tests.support.fake_auth0_management.api import FakeManagementApi


def test_options_default_audience_and_allow_signups(setup: Run, fake: FakeManagementApi) -> None:
    fake.connections[1]["options"]["disable_signup"] = True

    result = setup("--apply", "--default-audience", "--allow-signups")

    assert result.code == 0, result.out
    changes = fake.changes()
    assert ("PATCH", "/api/v2/tenants/settings", {"default_audience": IDENTIFIER}) in changes
    assert (
        "PATCH",
        "/api/v2/tenants/settings",
        {"resource_parameter_profile": "compatibility"},
    ) not in changes
    assert changes[-1] == (
        "PATCH",
        "/api/v2/connections/con_db",
        {"options": OPTIONS, "display_name": DISPLAY_NAME},
    )
    assert verdicts(result)["default-audience"] == "PASS"


def test_client_id_metadata_documents_are_turned_on_when_the_tenant_offers_them(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.settings["client_id_metadata_document_supported"] = False

    result = setup("--apply")

    assert fake.changes()[-1] == (
        "PATCH",
        "/api/v2/tenants/settings",
        {
            "client_id_metadata_document_supported": True,
            "client_id_metadata_document_dynamic_registration_supported": True,
        },
    )
    assert verdicts(result)["cimd"] == "PASS"


def test_client_id_metadata_documents_refused_by_the_tenant_are_not_a_failure(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.settings["client_id_metadata_document_supported"] = False
    fake.cimd_refused = True

    result = setup("--apply")

    assert result.code == 0, result.out
    assert verdicts(result)["cimd"] == "N/A"
    assert "not available on this tenant" in result.out
