"""A client of pyrite-host's bridge: hook calls to a host in another process.

The package's plugin (``EventBusPlugin``) hosts the bus in Pyrite's own process; this client is for
when the bus runs in ``pyrite-host`` instead (a process of its own, other writers, the tests): it
speaks the JSON-lines bridge protocol of docs/bridge.md over the host's local socket, with the
standard library only.

Semantics are Pyrite's own: a ``before_*`` hook that the host's plugins veto or that raises there
raises ``HookVetoed`` here, so Pyrite aborts the write; a replaced entry is returned, so later
hooks and the write see it; ``after_*`` failures are only logged.
"""

import json
import logging
import os
import socket
import threading

from .entries import _json_default, context_to_dict, entry_to_dict as _entry_to_dict, rebuild_entry
from .errors import HookVetoed

__all__ = ["EventBusBridge", "BridgeError", "HookVetoed", "HOOK_NAMES", "NOTIFICATIONS"]

log = logging.getLogger("pyrite.eventbus.bridge")

HOOK_NAMES = ("before_save", "after_save", "before_delete", "after_delete", "before_index")
NOTIFICATIONS = ("qa.validation_failed", "task.claimed", "task.completed", "kb.indexed",
                 "schema.changed")
DEFAULT_SOCKET = os.path.join(os.path.expanduser("~"), ".pyrite", "bridge.sock")


class BridgeError(RuntimeError):
    """The host could not be reached, or it refused the request (the message says why)."""


def _apply_replacement(entry, replacement):
    """A replaced entry, rebuilt as the type Pyrite passed (Link objects stay Link objects)."""
    return rebuild_entry(entry, replacement)


class EventBusBridge:
    """The plugin object Pyrite registers: ``name`` and ``get_hooks()``.

    socket_path: the host's bridge socket (``bridge.socket`` in pyrite.yaml); default
        $PYRITE_EVENTBUS_SOCKET, else ~/.pyrite/bridge.sock.
    timeout: seconds to wait for the host's answer.
    strict: when the host cannot be reached, before_* hooks raise BridgeError (Pyrite aborts the
        write) instead of logging a warning and letting the write go on without events.
    """

    name = "eventbus"

    def __init__(self, socket_path=None, timeout=10.0, strict=False):
        self.socket_path = socket_path or os.environ.get("PYRITE_EVENTBUS_SOCKET", DEFAULT_SOCKET)
        self.timeout = timeout
        self.strict = strict
        self._lock = threading.Lock()
        self._socket = None
        self._reader = None
        self._next_id = 0

    # Pyrite's plugin protocol -------------------------------------------------------------

    def get_hooks(self):
        return {name: [self._hook(name)] for name in HOOK_NAMES}

    def close(self):
        with self._lock:
            self._disconnect()

    # Lifecycle points that are not hooks (QA, tasks, indexing, schema changes).
    def notify(self, notification, payload, context=None):
        if notification not in NOTIFICATIONS:
            raise ValueError(f"unknown notification {notification!r} (one of {', '.join(NOTIFICATIONS)})")
        return self._call({"notify": notification, "payload": payload,
                           "context": self._context(context)})

    def ping(self):
        return self._call({"op": "ping"}).get("pong", False)

    # Internals ----------------------------------------------------------------------------

    def _hook(self, hook):
        before = hook.startswith("before_")

        def call(entry, context):
            request = {"hook": hook, "entry": _entry_to_dict(entry),
                       "context": self._context(context)}
            try:
                reply = self._call(request)
            except BridgeError as error:
                if before and self.strict:
                    raise
                log.warning("%s for %s not sent to the event bus: %s", hook,
                            request["entry"].get("id"), error)
                return entry if before else None
            action = reply.get("action")
            if action in ("veto", "abort"):
                raise HookVetoed(hook, reply.get("message", ""), reply.get("by"))
            for failure in reply.get("failures", []):
                log.warning("%s hook failed on the host (the write stands): %s", hook, failure)
            if action == "replace" and before:
                return _apply_replacement(entry, reply["entry"])
            return entry if before else None

        call.__name__ = f"eventbus_{hook}"
        return call

    @staticmethod
    def _context(context):
        return context_to_dict(context)

    def _connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError as error:
            sock.close()
            raise BridgeError(f"cannot reach pyrite-host at {self.socket_path}: {error.strerror or error}")
        self._socket = sock
        self._reader = sock.makefile("rb")

    def _disconnect(self):
        for closable in (self._reader, self._socket):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass
        self._socket = None
        self._reader = None

    def _call(self, request):
        with self._lock:
            self._next_id += 1
            request = dict(request, id=self._next_id)
            line = json.dumps(request, default=_json_default, separators=(",", ":")).encode() + b"\n"
            # One retry on a fresh connection: the host may have restarted since the last call.
            for attempt in (1, 2):
                try:
                    if self._socket is None:
                        self._connect()
                    self._socket.sendall(line)
                    answer = self._reader.readline()
                    if not answer:
                        raise OSError("the host closed the connection")
                    break
                except BridgeError:
                    raise
                except OSError as error:
                    self._disconnect()
                    if attempt == 2:
                        raise BridgeError(f"pyrite-host at {self.socket_path}: {error}") from error
        try:
            reply = json.loads(answer)
        except ValueError as error:
            raise BridgeError(f"pyrite-host answered something that is not JSON: {answer[:200]!r}") from error
        if reply.get("id") != request["id"]:
            raise BridgeError(f"pyrite-host answered request {reply.get('id')} to request {request['id']}")
        if not reply.get("ok"):
            error = reply.get("error") or {}
            raise BridgeError(f"pyrite-host refused the request: {error.get('message') or reply}")
        return reply


def create_plugin(**options):
    """What a Pyrite plugin entry point returns."""
    return EventBusBridge(**options)
