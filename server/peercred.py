"""rest_auth/local: on a UNIX socket the kernel names the client (SO_PEERCRED),
so no token is needed.

A slurmrestpy run by an ordinary user serves only that user. Run by root, it
serves each local user as that user (their Slurm commands run under their
own uid, and munge vouches for them), never as anyone else. Over TCP there is
no such proof, and local authentication is refused.
"""

from __future__ import annotations

import os
import pwd
import socket
import struct

from server.slurm.runner import Identity

_UCRED = struct.Struct("3i")  # pid, uid, gid


def peer_credentials(sock) -> dict | None:
    if sock is None or sock.family != socket.AF_UNIX:
        return None
    pid, uid, gid = _UCRED.unpack(sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
    return {"pid": pid, "uid": uid, "gid": gid}


class _WithPeer:
    """Puts a connection's peer credentials in every request's scope."""

    def __init__(self, app, credentials: dict):
        self.app = app
        self.credentials = credentials

    async def __call__(self, scope, receive, send):
        scope.setdefault("extensions", {})["peer_credentials"] = self.credentials
        await self.app(scope, receive, send)


def protocol_with_peer_credentials(protocol_class):
    """uvicorn's HTTP protocol, which also asks the kernel who is connected."""

    class PeerAwareProtocol(protocol_class):
        def connection_made(self, transport):
            super().connection_made(transport)
            credentials = peer_credentials(transport.get_extra_info("socket"))
            if credentials is not None:
                self.app = _WithPeer(self.app, credentials)

    return PeerAwareProtocol


def default_protocol_class():
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        return HttpToolsProtocol
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol


class LocalAuthRefused(Exception):
    pass


def local_identity(scope) -> Identity:
    """Who a request on a UNIX socket comes from, if we may serve them."""
    credentials = scope.get("extensions", {}).get("peer_credentials")
    if credentials is None:
        raise LocalAuthRefused("Authentication does not apply to request: it has no X-SLURM-USER-TOKEN "
                               "header and no Authorization: Bearer token (local authentication works "
                               "on UNIX sockets only)")
    uid = credentials["uid"]
    served = os.geteuid()
    if served != 0 and uid != served:
        raise LocalAuthRefused(f"Local authentication: this server serves only uid {served}, not uid {uid}")
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        raise LocalAuthRefused(f"Local authentication: uid {uid} has no user name") from None
    return Identity(user, None, local=True)
