"""People besides the owner: the login page asks for a name once anyone else has an account, their
tokens say who they are, and the policy in the state file (block, close, revoke) applies from the
next request on, whoever wrote it (the tests write it with a second store, as ./scripts/access does)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from auth_gateway.access_cli import main as access_main
from auth_gateway.state.access_admin import AccessAdmin
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorization_query,
    authorize,
    new_verifier,
    redirect_parameters,
)
from tests.auth_gateway.authorization_server.routes.owner_login_flow import (
    CALLBACK,
    login_page,
    open_form,
    public_exchange,
    public_refresh,
    register,
)
from tests.auth_gateway.conftest import (
    OWNER_PASSWORD,
    GatewayFactory,
    bearer,
    client_credentials_token,
    owner_login_settings,
)
from tests.support.login_form import parse_login_form

ALICE_PASSWORD = "alice-password-1234"


@pytest.fixture
def state_path(tmp_path: Path) -> str:
    return str(tmp_path / "oauth.sqlite3")


@pytest.fixture
def admin(state_path: str) -> Iterator[AccessAdmin]:
    """The command's side of the state file: another connection than the gateway's."""
    store = AccessAdmin(state_path)
    yield store
    store.close()


@pytest.fixture
def client(gateway_client: GatewayFactory, state_path: str) -> TestClient:
    return gateway_client(**owner_login_settings(OAUTH_STATE_PATH=state_path))


def add_alice(admin: AccessAdmin) -> None:
    admin.add_user("alice", PasswordHasher().hash(ALICE_PASSWORD))


def alice_signed_in(client: TestClient, admin: AccessAdmin) -> tuple[str, dict[str, Any]]:
    """Alice gets an account and signs in through her own app: its client_id and her tokens."""
    add_alice(admin)
    return tokens_for(client, "alice", ALICE_PASSWORD)


def sign_in(client: TestClient, client_id: str, password: str, name: str | None) -> Any:
    form = open_form(client, client_id)
    return client.post(form.action, data=form.filled(password, name))


def tokens_for(client: TestClient, name: str | None, password: str) -> tuple[str, dict[str, Any]]:
    """Sign `name` in through an app of their own (a registration names its client, so equal
    registrations share one client_id) and exchange the code."""
    client_id = register(client, client_name=f"{name or 'owner'}'s ChatGPT")
    verifier = new_verifier()
    query = authorization_query(verifier, client_id=client_id, redirect_uri=CALLBACK)
    form = parse_login_form(client.get("/oauth/authorize", params=query).text)
    code = redirect_parameters(client.post(form.action, data=form.filled(password, name)))["code"]
    exchanged = public_exchange(client, client_id, code, verifier)
    assert exchanged.status_code == 200, exchanged.text
    return client_id, exchanged.json()


def test_the_page_asks_for_no_name_while_the_owner_is_alone(client: TestClient) -> None:
    form = open_form(client, register(client))

    assert form.name_field is None


def test_the_page_asks_for_a_name_once_someone_else_has_an_account(
    client: TestClient, admin: AccessAdmin
) -> None:
    add_alice(admin)

    page = login_page(client, register(client))

    assert page.status_code == 200
    assert 'name="username"' in page.text
    assert "이름" in page.text


def test_alice_signs_in_with_her_name_and_her_tokens_say_so(client: TestClient, admin: AccessAdmin) -> None:
    add_alice(admin)

    client_id, tokens = tokens_for(client, "alice", ALICE_PASSWORD)

    allowed = client.get("/verify", headers=bearer(tokens["access_token"]))
    assert allowed.status_code == 200
    assert allowed.headers["x-auth-subject"] == "alice"
    assert allowed.headers["x-auth-client-id"] == client_id
    user = admin.user("alice")
    assert user is not None
    assert user.last_sign_in is not None


def test_the_owner_still_signs_in_with_the_name_owner_or_none(client: TestClient, admin: AccessAdmin) -> None:
    add_alice(admin)

    for name in ("owner", ""):
        _, tokens = tokens_for(client, name, OWNER_PASSWORD)
        allowed = client.get("/verify", headers=bearer(tokens["access_token"]))
        assert allowed.headers["x-auth-subject"] == "owner"


@pytest.mark.parametrize(
    ("name", "password"),
    [("alice", "not-her-password-1"), ("nobody", ALICE_PASSWORD), ("alice", OWNER_PASSWORD)],
    ids=["wrong password", "unknown name", "the owner's password for alice"],
)
def test_a_wrong_name_or_password_gets_one_answer_that_does_not_say_which(
    client: TestClient, admin: AccessAdmin, caplog: pytest.LogCaptureFixture, name: str, password: str
) -> None:
    add_alice(admin)

    with caplog.at_level(logging.INFO, logger="auth_gateway"):
        answer = sign_in(client, register(client), password, name)

    assert answer.status_code == 403
    assert "Wrong name or password." in answer.text
    assert "location" not in answer.headers
    assert [r.reason for r in caplog.records if getattr(r, "decision", None) == "deny"] == ["wrong_password"]  # type: ignore[attr-defined]
    assert password not in caplog.text


def test_a_blocked_user_is_told_so_only_with_the_right_password(
    client: TestClient, admin: AccessAdmin
) -> None:
    add_alice(admin)
    admin.set_blocked("alice", True)

    wrong = sign_in(client, register(client), "not-her-password-1", "alice")
    right = sign_in(client, register(client), ALICE_PASSWORD, "alice")

    assert wrong.status_code == 403
    assert "Wrong name or password." in wrong.text
    assert right.status_code == 403
    assert "This account is blocked" in right.text
    assert "location" not in right.headers


def test_blocking_refuses_her_live_token_on_the_next_request_and_not_the_owners(
    client: TestClient, admin: AccessAdmin
) -> None:
    alice_client, hers = alice_signed_in(client, admin)
    _, owners = tokens_for(client, None, OWNER_PASSWORD)
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 200  # now cached

    admin.set_blocked("alice", True)

    refused = client.get("/verify", headers=bearer(hers["access_token"]))
    assert refused.status_code == 401
    assert "blocked" in refused.headers["www-authenticate"]
    assert client.get("/verify", headers=bearer(owners["access_token"])).status_code == 200
    refreshed = public_refresh(client, alice_client, hers["refresh_token"])
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"

    admin.set_blocked("alice", False)
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 401  # sessions ended
    _, again = tokens_for(client, "alice", ALICE_PASSWORD)
    assert client.get("/verify", headers=bearer(again["access_token"])).status_code == 200


def test_a_removed_user_is_refused_and_a_new_alice_does_not_inherit_her_tokens(
    client: TestClient, admin: AccessAdmin
) -> None:
    _, hers = alice_signed_in(client, admin)

    admin.remove_user("alice")
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 401
    add_alice(admin)
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 401


def test_revoke_all_ends_every_session_and_revoke_client_only_that_ones(
    client: TestClient, admin: AccessAdmin
) -> None:
    alice_client, hers = alice_signed_in(client, admin)
    _, owners = tokens_for(client, None, OWNER_PASSWORD)

    admin.revoke_client(alice_client)
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 401
    assert client.get("/verify", headers=bearer(owners["access_token"])).status_code == 200

    admin.revoke_all()
    refused = client.get("/verify", headers=bearer(owners["access_token"]))
    assert refused.status_code == 401
    # By its sign-in, or (issued in an earlier second) by the cut-off as well: either way it is said.
    challenge = refused.headers["www-authenticate"]
    assert "this sign-in was revoked" in challenge or "every session on this server was ended" in challenge


def test_revoke_all_also_ends_client_credentials_tokens_issued_before_it(
    client: TestClient, state_path: str
) -> None:
    """They belong to no sign-in that could be listed: the cut-off (whole seconds, like `iat`) ends them."""
    token = client_credentials_token(client)
    a_second_later = AccessAdmin(state_path, clock=lambda: time.time() + 1.0)

    a_second_later.revoke_all()
    a_second_later.close()

    refused = client.get("/verify", headers=bearer(token))
    assert refused.status_code == 401
    assert "every session on this server was ended" in refused.headers["www-authenticate"]


def test_a_closed_door_refuses_registration_and_sign_in_with_a_clear_answer_while_sessions_go_on(
    client: TestClient, admin: AccessAdmin
) -> None:
    client_id, tokens = tokens_for(client, None, OWNER_PASSWORD)
    form = open_form(client, register(client))

    admin.set_closed(True)

    registration = client.post("/oauth/register", json={"client_name": "x", "redirect_uris": [CALLBACK]})
    assert registration.status_code == 403
    assert registration.json()["error"] == "access_denied"
    assert "closed" in registration.json()["error_description"]
    page = login_page(client, client_id)
    assert page.status_code == 403
    assert "closed to new sign-ins" in page.text
    posted = client.post(form.action, data=form.filled(OWNER_PASSWORD))
    assert posted.status_code == 403
    assert "location" not in posted.headers
    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200
    refreshed = public_refresh(client, client_id, tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text

    admin.set_closed(False)
    assert login_page(client, client_id).status_code == 200


def test_a_closed_door_sends_the_configured_clients_sign_in_back_with_access_denied(
    client: TestClient, admin: AccessAdmin
) -> None:
    admin.set_closed(True)

    answer = authorize(client, new_verifier())

    assert answer["error"] == "access_denied"
    assert "closed to new sign-ins" in answer["error_description"]


def test_each_sign_in_is_a_session_listed_until_it_is_revoked(client: TestClient, admin: AccessAdmin) -> None:
    alice_client, _ = alice_signed_in(client, admin)
    owner_client, _ = tokens_for(client, None, OWNER_PASSWORD)

    listed = {(s.subject, s.client_id, s.client_name, s.redirect_host) for s in admin.sessions()}
    assert listed == {
        ("alice", alice_client, "alice's ChatGPT", "chatgpt.com"),
        ("owner", owner_client, "owner's ChatGPT", "chatgpt.com"),
    }
    assert [s.subject for s in admin.sessions(subject="alice")] == ["alice"]

    admin.revoke_user("alice")
    assert [s.subject for s in admin.sessions()] == ["owner"]


def test_the_command_lists_sessions_and_revokes_one_by_its_id(
    client: TestClient, admin: AccessAdmin, state_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, hers = alice_signed_in(client, admin)
    _, owners = tokens_for(client, None, OWNER_PASSWORD)
    env = {"OAUTH_STATE_PATH": state_path, "AUTH_MODE": "oauth", "OWNER_PASSWORD_HASH": "set"}

    assert access_main(["sessions", "--user", "alice"], env) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:4] == ["SESSION", "USER", "CLIENT", "REDIRECT"]
    [row] = listing[1:]
    session_id, user = row.split()[:2]
    assert (len(session_id), user) == (12, "alice")
    assert "alice's ChatGPT" in row
    assert "chatgpt.com" in row

    assert access_main(["revoke", "nope00"], env) == 1
    assert "'nope00' is not a live session's id; sessions: " in capsys.readouterr().err
    assert access_main(["revoke", session_id], env) == 0
    assert capsys.readouterr().out == f"revoked session {session_id} (alice, alice's ChatGPT)\n"
    assert client.get("/verify", headers=bearer(hers["access_token"])).status_code == 401
    assert client.get("/verify", headers=bearer(owners["access_token"])).status_code == 200
    assert access_main(["sessions", "--user", "alice"], env) == 0
    assert capsys.readouterr().out == "no sessions of alice\n"


def test_guesses_at_one_name_are_limited_whatever_addresses_they_come_from(
    client: TestClient, admin: AccessAdmin
) -> None:
    add_alice(admin)
    form = open_form(client, register(client))
    statuses = []
    for attempt in range(21):
        answer = client.post(
            form.action,
            data=form.filled(f"wrong-guess-{attempt:04d}", "alice"),
            headers={"X-Forwarded-For": f"203.0.113.{attempt + 1}"},
        )
        statuses.append(answer.status_code)
    right_from_elsewhere = client.post(
        form.action, data=form.filled(ALICE_PASSWORD, "alice"), headers={"X-Forwarded-For": "198.51.100.7"}
    )
    owner_from_elsewhere = client.post(
        form.action, data=form.filled(OWNER_PASSWORD, "owner"), headers={"X-Forwarded-For": "198.51.100.8"}
    )

    assert statuses == [403] * 20 + [429]  # ten per address, twenty per name
    assert right_from_elsewhere.status_code == 429  # the right password learns nothing while limited
    assert 1 <= int(right_from_elsewhere.headers["retry-after"]) <= 60
    assert owner_from_elsewhere.status_code == 302  # another name is not locked out
