"""Inet mode: inetd, xinetd or systemd (`Accept=yes`) hands us one connected
client on standard input; we serve it, and exit when it hangs up."""

from __future__ import annotations

import asyncio
import os
import socket


async def serve_stdin(server) -> None:
    config = server.config
    if not config.loaded:
        config.load()
    server.lifespan = config.lifespan_class(config)
    await server.startup(sockets=[])
    if server.should_exit:
        return
    client = socket.socket(fileno=os.dup(0))
    client.setblocking(False)
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_accepted_socket(
        lambda: config.http_protocol_class(
            config=config, server_state=server.server_state, app_state=server.lifespan.state
        ),
        sock=client,
    )
    # Until the client hangs up (or a signal asks us to stop).
    while protocol in server.server_state.connections and not server.should_exit:
        await asyncio.sleep(0.05)
    await server.shutdown(sockets=[])
