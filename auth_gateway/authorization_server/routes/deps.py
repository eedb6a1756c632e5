"""The authorization server's roots, as FastAPI dependencies of its routes (never of /verify)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from auth_gateway.authorization_server.login.owner_login import OwnerLogin
from auth_gateway.authorization_server.login.pages import LoginPages
from auth_gateway.authorization_server.root import AuthorizationServer

__all__ = ["LoginPagesDep", "OwnerLoginDep", "ServerDep"]


def _server(request: Request) -> AuthorizationServer:
    server: AuthorizationServer = request.app.state.authorization_server
    return server


def _login_pages(request: Request) -> LoginPages:
    pages: LoginPages = request.app.state.login_pages
    return pages


def _owner_login(request: Request) -> OwnerLogin:
    return _login_pages(request).owner_login


ServerDep = Annotated[AuthorizationServer, Depends(_server)]
LoginPagesDep = Annotated[LoginPages, Depends(_login_pages)]
OwnerLoginDep = Annotated[OwnerLogin, Depends(_owner_login)]
