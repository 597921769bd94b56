"""A small round-robin HTTP proxy in front of several app nodes (scripts/cluster.sh), stdlib only.

Each client connection carries one request: the proxy reads it (Content-Length bodies only, as
the app's clients send), hands it to the next node in turn and copies the node's answer back.
gunicorn's sync workers close the connection after every answer, so the client opens a new one
for its next request. A node that refuses the connection (stopped, killed) is skipped, as nginx's
proxy_next_upstream does on a connect error; a node that dies after it got the request gives a
502, because the request may have been applied and only the client may decide to retry it.

It sets X-Forwarded-For/-Proto/-Host like the nginx example in docs/deployment.md, so the nodes
run with PROXY_HOPS=1 and see each client's own address (the sign-in limits key on it).

Lossy mode, for tests of the sync protocol: with --drop-requests R the proxy closes a client's
connection after reading its request and forwards nothing; with --drop-responses R it forwards the
request, lets the node apply it and read the whole answer, then closes without answering. The
choices come from one random.Random(--seed). GET /_proxy/stats answers, never dropped, with the
counts so far. This is a test tool: in production put nginx or HAProxy in front of the nodes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
from dataclasses import dataclass, field

HEAD_LIMIT = 64 * 1024
NODE_TIMEOUT_SECONDS = 120
STATS_PATH = "/_proxy/stats"
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade",
              b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"}


class BadRequest(ValueError):
    """The client's request cannot be proxied; the message is the status line's reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Request:
    method: str
    target: str
    version: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key.lower() == name), None)

    def to_node(self, client_address: str) -> bytes:
        """The request as a node gets it: one request per connection, forwarded-for headers appended."""
        kept = [(key, value) for key, value in self.headers if key.lower() not in HOP_BY_HOP]
        earlier = self.header(b"x-forwarded-for")
        forwarded_for = (earlier + b", " if earlier else b"") + client_address.encode()
        kept += [(b"X-Forwarded-For", forwarded_for), (b"X-Forwarded-Proto", b"http"),
                 (b"X-Forwarded-Host", self.header(b"host") or b""), (b"Connection", b"close")]
        head = f"{self.method} {self.target} ".encode() + self.version + b"\r\n"
        head += b"".join(key + b": " + value + b"\r\n" for key, value in kept)
        return head + b"\r\n" + self.body


async def read_request(reader: asyncio.StreamReader) -> Request:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as error:
        raise BadRequest(431, "Request Header Fields Too Large") from error
    request_line, *header_lines = head[:-4].split(b"\r\n")
    try:
        method, target, version = request_line.decode("latin-1").split(" ")
        headers = [(key.strip(), value.strip()) for key, value in (line.split(b":", 1) for line in header_lines)]
    except ValueError as error:  # a request line or a header line of the wrong shape
        raise BadRequest(400, "Bad Request") from error
    request = Request(method, target, version.encode(), headers, b"")
    if request.header(b"transfer-encoding"):
        raise BadRequest(411, "Length Required")  # the app's clients always send Content-Length
    length = request.header(b"content-length") or b"0"
    if not length.isdigit():
        raise BadRequest(400, "Bad Request")
    request.body = await reader.readexactly(int(length))
    return request


def plain_response(status: int, reason: str, body: bytes = b"", content_type: str = "text/plain") -> bytes:
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


def tagged(response: bytes, node_number: int) -> bytes:
    """The node's answer with X-Cluster-Node added, so a client can see which node answered."""
    status_line, rest = response.split(b"\r\n", 1)
    return status_line + f"\r\nX-Cluster-Node: {node_number}\r\n".encode() + rest


@dataclass
class Stats:
    requests: int = 0
    dropped_requests: int = 0
    dropped_responses: int = 0
    bad_gateway: int = 0
    answered_by_node: dict[int, int] = field(default_factory=dict)
    refused_by_node: dict[int, int] = field(default_factory=dict)

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__).encode()


class Proxy:
    def __init__(self, nodes: list[tuple[str, int]], drop_requests: float, drop_responses: float, seed: int | None):
        self.nodes = nodes
        self.next_node = 0
        self.drop_requests = drop_requests
        self.drop_responses = drop_responses
        self.random = random.Random(seed)
        self.stats = Stats(answered_by_node={n: 0 for n in range(1, len(nodes) + 1)},
                           refused_by_node={n: 0 for n in range(1, len(nodes) + 1)})

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            answer = await self.answer(reader, writer.get_extra_info("peername")[0])
            if answer is not None:
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away; nothing to answer
        finally:
            writer.close()

    async def answer(self, reader: asyncio.StreamReader, client_address: str) -> bytes | None:
        """The bytes to send back to the client, or None to close without an answer."""
        try:
            request = await read_request(reader)
        except BadRequest as refused:
            return plain_response(refused.status, refused.reason)
        if request.method == "GET" and request.target == STATS_PATH:
            return plain_response(200, "OK", self.stats.as_json(), "application/json")
        self.stats.requests += 1
        # Both draws happen for every request, so one seed always gives the same sequence of fates.
        drop_request = self.random.random() < self.drop_requests
        drop_response = self.random.random() < self.drop_responses
        if drop_request:
            self.stats.dropped_requests += 1
            return None
        response = await self.forward(request.to_node(client_address))
        if drop_response:
            self.stats.dropped_responses += 1
            return None
        return response

    async def forward(self, raw_request: bytes) -> bytes:
        """The first node in turn that accepts the connection answers; refusals move on to the next."""
        start = self.next_node
        self.next_node = (self.next_node + 1) % len(self.nodes)
        for step in range(len(self.nodes)):
            index = (start + step) % len(self.nodes)
            try:
                node_reader, node_writer = await asyncio.open_connection(*self.nodes[index])
            except OSError:
                self.stats.refused_by_node[index + 1] += 1
                continue
            try:
                node_writer.write(raw_request)
                await node_writer.drain()
                response = await asyncio.wait_for(node_reader.read(), NODE_TIMEOUT_SECONDS)
            except (OSError, asyncio.TimeoutError):
                response = b""
            finally:
                node_writer.close()
            if not response:  # the node died or hung after it got the request
                self.stats.bad_gateway += 1
                return plain_response(502, "Bad Gateway", b"The node closed the connection without an answer.")
            self.stats.answered_by_node[index + 1] += 1
            return tagged(response, index + 1)
        self.stats.bad_gateway += 1
        return plain_response(502, "Bad Gateway", b"No node accepted the connection.")


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=address, required=True, help="host:port to listen on")
    parser.add_argument("--node", type=address, action="append", required=True, help="host:port of a node (repeat)")
    parser.add_argument("--drop-requests", type=float, default=0.0, help="share of requests never forwarded")
    parser.add_argument("--drop-responses", type=float, default=0.0, help="share of answers never sent back")
    parser.add_argument("--seed", type=int, default=None, help="seed of the drop decisions")
    return parser.parse_args(argv)


async def serve(arguments: argparse.Namespace) -> None:
    proxy = Proxy(arguments.node, arguments.drop_requests, arguments.drop_responses, arguments.seed)
    server = await asyncio.start_server(proxy.handle, *arguments.listen, limit=HEAD_LIMIT, backlog=512)
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    host, port = arguments.listen
    print(f"rr_proxy: http://{host}:{port} -> " + ", ".join(f"{h}:{p}" for h, p in arguments.node), flush=True)
    async with server:
        await stopping.wait()
    print(f"rr_proxy: stopped; {proxy.stats.as_json().decode()}", flush=True)


if __name__ == "__main__":
    asyncio.run(serve(parse_arguments(sys.argv[1:])))
