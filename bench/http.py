"""A minimal HTTP/1.1 client on asyncio: one keep-alive connection per simulated learner.

Only what the benchmark needs (Content-Length or chunked bodies, cookies by name), so
that the load generator spends little CPU per request on a machine it shares with the
servers it measures. A request that fails on the connection (the server closed it, or
its worker was killed) is sent again on a new connection, and the retry is counted.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlencode

CONNECTION_ERRORS = (
    ConnectionError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    OSError,
)


EXPIRED = ("max-age=0", "expires=thu, 01 jan 1970 00:00:00 gmt")  # how a cookie is deleted


class TransportError(Exception):
    """The request got no response even after `Client.max_attempts` connections."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes
    retries: int = 0  # connections that failed before this response came

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Client:
    """A browser reduced to one connection, a cookie jar and a fixed client address."""

    host: str
    port: int
    forwarded_for: str | None = None  # sent as X-Forwarded-For, as a reverse proxy would
    max_attempts: int = 6
    cookies: dict[str, str] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return await self.request("GET", path, headers=headers)

    async def post(self, path: str, form: dict[str, str | list[str]]) -> Response:
        return await self.request("POST", path, urlencode(form, doseq=True).encode())

    async def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if self.forwarded_for:
            head.append(f"X-Forwarded-For: {self.forwarded_for}")
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            head.append("Content-Type: application/x-www-form-urlencoded")
            head.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b"")
        failures = 0
        while True:
            try:
                if self._writer is None:
                    self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
                self._writer.write(message)
                response = await self._read_response()
            except CONNECTION_ERRORS as error:
                self.close()
                failures += 1
                if failures >= self.max_attempts:
                    raise TransportError(f"{method} {path}: {error!r}") from error
                await asyncio.sleep(0.05 * failures)
                continue
            response.retries = failures
            self._keep_cookies(response)
            if response.headers.get("connection", "").lower() == "close":
                self.close()
            return response

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def _read_response(self) -> Response:
        reader = self._reader
        assert reader is not None
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            headers[name] = value.strip()
            if name == "set-cookie":
                cookies.append(value.strip())
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunked(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        headers["set-cookie"] = "\n".join(cookies)
        return Response(status, headers, body)

    @staticmethod
    async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)

    def _keep_cookies(self, response: Response) -> None:
        for cookie in filter(None, response.headers["set-cookie"].split("\n")):
            pair, *attributes = cookie.split(";")
            name, _, value = pair.strip().partition("=")
            expired = any(a.strip().lower() in EXPIRED for a in attributes)
            if expired or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
