"""MCP tools for Pyrite's MCP server (get_mcp_tools(tier)): an agent that was offline catches up
with ``events_since`` and then follows with ``events_wait``; an admin server also gets
``webhook_test`` and ``webhook_redeliver`` (docs/pyrite.md).

Handlers take the arguments dict and answer a dict; a bad argument or a failure is answered as
Pyrite's own tools answer them ({"error", "error_code", "retryable"}), never raised.
"""

import json

from . import catchup
from .errors import EventBusError
from .runtime import runtime

MAX_WAIT_SECONDS = 60

_POSITION = {
    "since": {"type": "integer", "minimum": 0, "default": 0,
              "description": "Events after this sequence: the \"next\" of the previous answer "
                             "(0: from the start of the log)."},
    "epoch": {"type": "string", "default": "",
              "description": "The \"epoch\" of the previous answer. A position of another log "
                             "(created anew) starts from its beginning, with recovered: false."},
    "types": {"type": "array", "items": {"type": "string", "minLength": 1},
              "description": "Event type patterns, like [\"entry.*\", \"task.completed\"] "
                             "(default: all)."},
    "kb": {"type": "string", "description": "Only events of this knowledge base."},
    "entry_type": {"type": "string", "description": "Only events about entries of this type."},
    "limit": {"type": "integer", "minimum": 1, "maximum": catchup.MAX_LIMIT, "default": 100,
              "description": f"At most this many events (1 to {catchup.MAX_LIMIT})."},
}

_ANSWER = ("Answers {events: [CloudEvents, oldest first], next, epoch, more, recovered}: ask again "
           "with since=next and epoch=epoch. recovered is false when events between the position "
           "given and the first one answered are gone (pruned, or another log).")


def _error(code, message, retryable=False):
    return {"error": message, "error_code": code, "retryable": retryable}


def _call(work):
    try:
        return work()
    except catchup.CatchUpError as error:
        return _error("INVALID_ARGUMENT", str(error))
    except EventBusError as error:
        return _error("EVENTBUS_UNAVAILABLE", str(error))
    except ValueError as error:
        return _error("OPERATION_FAILED", str(error))


def _unknown(arguments, allowed):
    if not isinstance(arguments, dict):
        return _error("INVALID_ARGUMENT", "arguments: expected an object")
    extra = sorted(set(arguments) - set(allowed))
    if extra:
        return _error("INVALID_ARGUMENT", f"unknown argument {extra[0]!r} "
                                          f"(known: {', '.join(sorted(allowed))})")
    for name in ("epoch", "kb", "entry_type"):
        if name in arguments and not isinstance(arguments[name], str):
            return _error("INVALID_ARGUMENT", f"{name}: expected a string")
    return None


def _read_arguments(arguments):
    return dict(since=arguments.get("since", 0), epoch=arguments.get("epoch", ""),
                types=arguments.get("types"), kb=arguments.get("kb", ""),
                entry_type=arguments.get("entry_type", ""), limit=arguments.get("limit", 100))


def events_since(arguments):
    problem = _unknown(arguments, _POSITION)
    return problem or _call(lambda: catchup.read(**_read_arguments(arguments)))


def events_wait(arguments):
    problem = _unknown(arguments, list(_POSITION) + ["timeout"])
    if problem:
        return problem
    timeout = arguments.get("timeout", 20)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
            or not 0 <= timeout <= MAX_WAIT_SECONDS:
        return _error("INVALID_ARGUMENT",
                      f"timeout: expected seconds from 0 to {MAX_WAIT_SECONDS}, got {timeout!r}")
    return _call(lambda: catchup.wait(**_read_arguments(arguments), timeout=float(timeout)))


def webhook_test(arguments):
    problem = _unknown(arguments, ["url"])
    if problem:
        return problem
    url = arguments.get("url")
    if not isinstance(url, str) or not url:
        return _error("MISSING_PARAMETER", "url: the address to send one sample event to")
    return _call(lambda: json.loads(runtime().bus().send_test_webhook(url, 30000)))


def webhook_redeliver(arguments):
    problem = _unknown(arguments, ["delivery_id", "dead"])
    if problem:
        return problem
    delivery_id, dead = arguments.get("delivery_id"), arguments.get("dead", False)
    if not isinstance(dead, bool) or dead == (delivery_id is not None) or (
            delivery_id is not None and (isinstance(delivery_id, bool)
                                         or not isinstance(delivery_id, int) or delivery_id <= 0)):
        return _error("INVALID_ARGUMENT", "give delivery_id (a delivery's id, a number of at "
                                          "least 1) or dead: true, not both")

    def redeliver():
        count = runtime().bus().redeliver(0 if dead else delivery_id)
        if not dead and count == 0:
            return _error("NOT_FOUND", f"no delivery {delivery_id}")
        return {"pending_again": count}
    return _call(redeliver)


def _schema(properties, required=()):
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


READ_TOOLS = {
    "events_since": {
        "description": "Events of Pyrite's event log after a position (entry.created, "
                       "entry.updated, task.completed, ...), to catch up on what happened. "
                       + _ANSWER,
        "inputSchema": _schema(_POSITION),
        "handler": events_since,
    },
    "events_wait": {
        "description": "As events_since, but when nothing matches yet, waits up to timeout "
                       "seconds for the next matching events (an empty list when none came). "
                       + _ANSWER,
        "inputSchema": _schema(dict(_POSITION, timeout={
            "type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS, "default": 20,
            "description": f"Seconds to wait (0 to {MAX_WAIT_SECONDS})."})),
        "handler": events_wait,
    },
}

ADMIN_TOOLS = {
    "webhook_test": {
        "description": "Send one sample event to a URL (a configured endpoint's URL uses its "
                       "format, headers and secret) and answer what the receiver said: status, "
                       "duration_ms, error, response.",
        "inputSchema": _schema({"url": {"type": "string", "format": "uri", "minLength": 1,
                                        "description": "http(s) address to send to."}},
                               ["url"]),
        "handler": webhook_test,
    },
    "webhook_redeliver": {
        "description": "Make a webhook delivery (or, with dead: true, every dead one) pending "
                       "again with fresh attempts; answers {pending_again: count}.",
        "inputSchema": _schema({
            "delivery_id": {"type": "integer", "minimum": 1,
                            "description": "The delivery's id (pyrite webhooks deliveries)."},
            "dead": {"type": "boolean", "description": "Every dead delivery instead."}}),
        "handler": webhook_redeliver,
    },
}


def tools(tier):
    """Read tools on every tier (read, write, admin), the webhook tools on admin only."""
    result = dict(READ_TOOLS) if tier in ("read", "write", "admin") else {}
    if tier == "admin":
        result.update(ADMIN_TOOLS)
    return {name: dict(tool) for name, tool in result.items()}
