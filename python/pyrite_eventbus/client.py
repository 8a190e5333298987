"""A client of the live event stream (docs/protocol.md), standard library only.

    from pyrite_eventbus.client import StreamClient

    client = StreamClient("ws://127.0.0.1:8765/stream", types=["entry.created"],
                          entry_type="backlog_item", state_file="~/.ci-trigger.position")
    for event in client.events():          # reconnects and resumes; never misses an event
        start_pipeline(event["data"]["entry_id"])

It subscribes with filters, resumes after the last sequence it delivered (kept in ``state_file``
across restarts when given), and reconnects with backoff (0.5 s doubling to 30 s). When the log
no longer holds the position (retention, or another log: another epoch), the server says
``recovered: false``; the client then goes on live from there and counts it in ``unrecovered``.
"""

import base64
import json
import os
import random
import socket
import struct
import time
import urllib.parse

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _BINARY, _CLOSE, _PING, _PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class StreamClosed(ConnectionError):
    """The server closed the connection; ``code`` and ``reason`` say why."""

    def __init__(self, code, reason):
        super().__init__(f"closed by the server: {code} {reason}")
        self.code, self.reason = code, reason


class WebSocket:
    """One client connection: the handshake, masked text frames out, frames in (pings answered)."""

    def __init__(self, url, headers=None, timeout=10.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise ValueError(f"{url}: only ws:// URLs are supported")
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        self._buffer = b""
        key = base64.b64encode(os.urandom(16))
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port or 80}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key.decode()}",
                 "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self._read_until(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"{url}: the server refused the handshake: {status.decode()}")
        accept = base64.b64encode(__import__("hashlib").sha1(key + _GUID).digest())
        if accept not in head:
            raise ConnectionError(f"{url}: bad Sec-WebSocket-Accept")

    def _read_until(self, marker):
        while marker not in self._buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed during the handshake")
            self._buffer += chunk
        head, self._buffer = self._buffer.split(marker, 1)
        return head

    def _read(self, count):
        while len(self._buffer) < count:
            chunk = self.sock.recv(max(65536, count - len(self._buffer)))
            if not chunk:
                raise ConnectionError("connection closed")
            self._buffer += chunk
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def send(self, opcode, payload):
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_json(self, message):
        self.send(_TEXT, json.dumps(message).encode())

    def receive(self):
        """The next text message (pings are answered on the way); StreamClosed on a close."""
        message = b""
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == _PING:
                self.send(_PONG, payload)
            elif opcode == _CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise StreamClosed(code, payload[2:].decode(errors="replace"))
            elif opcode in (_TEXT, _BINARY, 0x0):
                message += payload
                if first & 0x80:
                    return message.decode()

    def close(self):
        try:
            self.send(_CLOSE, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()


class StreamClient:
    """Subscribes to url's stream and yields events from events(), resuming across reconnects
    and (with state_file) across restarts of the program."""

    def __init__(self, url, types=("*",), kb=None, entry_type=None, token=None, state_file=None,
                 since=None, epoch=None, reconnect=True, max_backoff=30.0, timeout=30.0):
        self.url = url
        self.types = list(types)
        self.filter = {key: value for key, value in (("kb", kb), ("entry_type", entry_type)) if value}
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.state_file = os.path.expanduser(state_file) if state_file else None
        self.sequence, self.epoch = since, epoch
        if self.state_file and os.path.exists(self.state_file):
            with open(self.state_file) as file:
                saved = json.load(file)
            self.sequence, self.epoch = saved.get("sequence"), saved.get("epoch")
        self.reconnect = reconnect
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.connections = 0
        self.unrecovered = 0
        self._socket = None

    def _subscribe(self):
        self._socket = WebSocket(self.url, self.headers, self.timeout)
        self.connections += 1
        request = {"op": "subscribe", "id": "client", "types": self.types}
        if self.filter:
            request["filter"] = self.filter
        if self.sequence is not None:
            request["since"] = self.sequence
            if self.epoch:
                request["epoch"] = self.epoch
        self._socket.send_json(request)

    def _remember(self, event):
        self.sequence = event.get("sequence", self.sequence)
        self.epoch = event.get("epoch", self.epoch)
        if self.state_file:
            temporary = self.state_file + ".tmp"
            with open(temporary, "w") as file:
                json.dump({"sequence": self.sequence, "epoch": self.epoch}, file)
            os.replace(temporary, self.state_file)

    def events(self):
        backoff = 0.5
        while True:
            try:
                if self._socket is None:
                    self._subscribe()
                while True:
                    frame = json.loads(self._socket.receive())
                    op = frame.get("op")
                    if op == "subscribed":
                        backoff = 0.5
                        if self.sequence is not None and not frame.get("recovered", False):
                            self.unrecovered += 1
                        if frame.get("epoch"):
                            self.epoch = frame["epoch"]
                    elif op == "error":
                        raise ValueError(f"the server refused the subscription: {frame.get('message')}")
                    elif op == "event":
                        event = frame["event"]
                        yield event
                        self._remember(event)
            except (OSError, StreamClosed):
                self.close()
                if not self.reconnect:
                    raise
                time.sleep(backoff * random.uniform(0.8, 1.2))
                backoff = min(self.max_backoff, backoff * 2)

    def close(self):
        if self._socket is not None:
            self._socket.close()
            self._socket = None
