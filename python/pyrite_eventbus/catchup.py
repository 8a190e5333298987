"""Reading the event log from a position: what ``pyrite events`` and the MCP tools
``events_since`` / ``events_wait`` use (docs/pyrite.md).

A position is a sequence number and the epoch of the log it belongs to. A reader that comes back
with a position of another log (the log was created anew) or one retention has pruned gets what
the log still has from the start, and ``recovered: false`` says that events were missed.
"""

import json
import time
from datetime import datetime, timezone

from .runtime import runtime

MAX_LIMIT = 1000


class CatchUpError(ValueError):
    """A bad argument (the message names it) or a log that cannot be read."""


def parse_time(text, name):
    """RFC 3339 time → milliseconds since the epoch; -1 for none."""
    if not text:
        return -1
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise CatchUpError(f'{name}: "{text}" is not an RFC 3339 time '
                           '(like 2026-12-06T10:00:00Z)') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _patterns(types):
    if types is None:
        return []
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, (list, tuple)) or not all(isinstance(t, str) for t in types):
        raise CatchUpError("types: expected a list of event type patterns like \"entry.*\"")
    return [t for t in types if t]


def _check_arguments(since, limit):
    if isinstance(since, bool) or not isinstance(since, int) or since < 0:
        raise CatchUpError(f"since: expected a sequence number of at least 0, got {since!r}")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise CatchUpError(f"limit: expected a whole number from 1 to {MAX_LIMIT}, got {limit!r}")


def read(since=0, epoch="", types=None, kb="", entry_type="", limit=100, from_msecs=-1,
         until_msecs=-1, read_only=False):
    """Events after position (since, epoch): {"events", "next", "epoch", "more", "recovered",
    "oldest"}; "next" is the position to ask for next time (with "epoch")."""
    _check_arguments(since, limit)
    patterns = _patterns(types)
    # A reading command (pyrite events) signs nothing: it needs no secrets.
    bus = runtime().bus(read_only=read_only, secrets=not read_only)

    def page(after):
        try:
            return bus.read_events(after, "", patterns, kb or "", entry_type or "", from_msecs,
                                   until_msecs, limit)
        except ValueError as error:
            raise CatchUpError(str(error)) from None

    events, last, more, log_epoch, oldest = page(since)
    recovered = True
    if epoch and epoch != log_epoch:
        # Another log: its sequence numbers say nothing about this one; start from its start.
        recovered = False
        if since:
            events, last, more, log_epoch, oldest = page(0)
    elif since and since + 1 < oldest:
        recovered = False  # retention removed events after the position
    return {"events": [json.loads(event) for event in events], "next": last, "epoch": log_epoch,
            "more": more, "recovered": recovered, "oldest": oldest}


def wait(since=0, epoch="", types=None, kb="", entry_type="", limit=100, timeout=20.0,
         poll_interval=0.1, read_only=False):
    """As read(), but when nothing matches yet, waits up to timeout seconds for the first match
    (the log is read again every poll_interval seconds: events of every Pyrite process count)."""
    deadline = time.monotonic() + timeout
    while True:
        result = read(since, epoch, types, kb, entry_type, limit, read_only=read_only)
        if result["events"] or not result["recovered"] or time.monotonic() >= deadline:
            return result
        # Nothing matched: the position stands; the epoch is now the log's own.
        since, epoch = result["next"], result["epoch"]
        time.sleep(min(poll_interval, max(0.0, deadline - time.monotonic())))
