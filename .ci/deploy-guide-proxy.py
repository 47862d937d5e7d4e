"""A small forward proxy for .ci/deploy-guide: the only way out of the test container.

The container has a network of its own (so its PostgreSQL, nginx and gunicorn take no port of
this machine); it reaches Debian's mirror and PyPI through this proxy and nothing else.
Plain HTTP (apt) is forwarded request by request, HTTPS (pip) is tunnelled with CONNECT.

    python3 deploy-guide-proxy.py LISTEN_ADDRESS PORT
"""

import asyncio
import sys

ALLOWED = {
    ("deb.debian.org", 80),
    ("pypi.org", 443),
    ("files.pythonhosted.org", 443),
}


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def refuse(writer: asyncio.StreamWriter, status: str) -> None:
    writer.write(f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".encode())
    await writer.drain()
    writer.close()


async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter):
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_writer.close()
        return
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, version = request_line.split(" ", 2)
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        port = int(port)
    elif target.startswith("http://"):
        authority, _, path = target[len("http://") :].partition("/")
        host, _, port = authority.partition(":")
        port = int(port or 80)
    else:
        return await refuse(client_writer, "400 Bad Request")
    if (host, port) not in ALLOWED:
        return await refuse(client_writer, "403 Forbidden")
    try:
        server_reader, server_writer = await asyncio.open_connection(host, port)
    except OSError:
        return await refuse(client_writer, "502 Bad Gateway")
    if method == "CONNECT":
        client_writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    else:
        # One request per connection: the rest of the stream then goes to the same origin.
        headers = [
            line
            for line in header_lines
            if line and not line.lower().startswith(("connection:", "proxy-connection:"))
        ]
        request = [f"{method} /{path} {version}", *headers, "Connection: close", "", ""]
        server_writer.write("\r\n".join(request).encode("latin-1"))
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


async def main(address: str, port: int) -> None:
    server = await asyncio.start_server(handle, address, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
