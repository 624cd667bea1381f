"""A tiny round-robin TCP proxy for the local cluster (scripts/cluster.sh): each new connection goes to
the next backend that accepts it, bytes are piped both ways as they arrive (uploads and downloads
stream, nothing is buffered). A backend that refuses is skipped until it accepts again. Stdlib only.

    python scripts/cluster_proxy.py --listen 127.0.0.1:8765 --backend 127.0.0.1:8766 --backend 127.0.0.1:8767

It balances connections, not requests (a keep-alive client stays on one server), and adds no
X-Forwarded-For: the servers see the proxy's address. compose.yaml's Caddy balances per request.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys

CHUNK = 256 * 1024


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return host, int(port)


class RoundRobin:
    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = backends
        self._turn = itertools.cycle(range(len(backends)))

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The next backend in turn that accepts; OSError when none does."""
        last: OSError | None = None
        for _ in self.backends:
            host, port = self.backends[next(self._turn)]
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), 5)
            except (OSError, TimeoutError) as exc:
                last = exc if isinstance(exc, OSError) else OSError(str(exc))
        raise last or OSError("no backend")

    async def serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await self.connect()
        except OSError:
            client_out.close()
            return
        try:
            await asyncio.gather(_pipe(client_in, server_out), _pipe(server_in, client_out))
        finally:
            server_out.close()
            client_out.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while chunk := await source.read(CHUNK):
            sink.write(chunk)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()  # half-close: the other direction may still be answering
    except (ConnectionError, OSError):
        sink.close()


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=address, required=True)
    parser.add_argument("--backend", type=address, action="append", required=True)
    args = parser.parse_args(argv)
    balancer = RoundRobin(args.backend)
    server = await asyncio.start_server(balancer.serve, *args.listen, backlog=1024)
    async with server:
        await server.serve_forever()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        sys.exit(130)
