"""Request-scoped access to the process-wide `Gateway` (FastAPI dependency aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from auth_gateway.client_ip import client_address
from auth_gateway.gateway import Gateway

__all__ = ["GatewayDep", "client_ip_of"]


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(_gateway)]


def client_ip_of(request: Request, gateway: Gateway) -> str:
    peer = request.client.host if request.client else None
    settings = gateway.settings
    connecting_ip = (
        request.headers.get("cf-connecting-ip") if settings.CLIENT_IP_HEADER == "CF-Connecting-IP" else None
    )
    return client_address(
        peer, request.headers.get("x-forwarded-for"), settings.trusted_proxy_networks, connecting_ip
    )
