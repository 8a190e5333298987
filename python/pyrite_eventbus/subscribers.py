"""In-process subscribers: Pyrite's other plugins react to events without a server.

``subscribe(types, callback)`` calls ``callback(event)`` with each stored event (a CloudEvent as a
dict, with ``sequence`` and ``epoch``) whose type matches one of ``types`` (``"entry.*"``), in
sequence order, including events other Pyrite processes wrote to the same log. Each subscription
has a thread of its own: a slow or raising callback never holds up a write or another
subscription; what it raises is logged.
"""

import json
import logging
import threading

from .runtime import runtime

log = logging.getLogger("pyrite.eventbus.subscribers")

DEFAULT_LIMIT = 100000


class Subscription:
    """A running subscription; ``cancel()`` (or ``unsubscribe(subscription)``) ends it."""

    def __init__(self, types, callback, kb=None, entry_type=None, limit=DEFAULT_LIMIT):
        if isinstance(types, str):
            types = [types]
        if not callable(callback):
            raise TypeError("callback must be callable")
        self.types = list(types)
        self.callback = callback
        self.kb = kb or ""
        self.entry_type = entry_type or ""
        self.limit = int(limit)
        self.delivered = 0
        self.failed = 0
        self._condition = threading.Condition()
        self._bus = None
        self._handle = None
        self._thread = None
        self._cancelled = False

    def cancel(self):
        with self._condition:
            self._cancelled = True
            self._condition.notify_all()
        runtime()._remove(self)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    def __repr__(self):
        return f"<Subscription {self.types} kb={self.kb!r} entry_type={self.entry_type!r}>"

    # Called by the runtime ----------------------------------------------------------------

    def _attach(self, bus):
        handle = bus.subscribe(self.types, self.kb, self.entry_type, self.limit)
        with self._condition:
            self._bus, self._handle = bus, handle
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                 name=f"pyrite-eventbus-subscriber-{handle}")
                self._thread.start()
            self._condition.notify_all()

    def _detach(self, bus):
        with self._condition:
            handle = self._handle if self._bus is bus else None
        if handle is not None:
            bus.unsubscribe(handle)

    def _join(self, timeout):
        """Waits until what the stopped bus had queued for this subscription is delivered."""
        with self._condition:
            self._condition.wait_for(lambda: self._handle is None, timeout)

    def _forget_thread(self):
        # In a child after fork(): the thread stayed in the parent.
        self._condition = threading.Condition()
        self._thread = None
        self._bus = self._handle = None

    # The subscription's thread ------------------------------------------------------------

    def _run(self):
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._handle is not None or self._cancelled)
                if self._handle is None:
                    self._thread = None
                    return
                bus, handle = self._bus, self._handle
            events = bus.take_events(handle, 256, 500)
            if events is None:  # ended: unsubscribed, or the bus stopped
                with self._condition:
                    if self._handle == handle and self._bus is bus:
                        self._bus = self._handle = None
                    self._condition.notify_all()
                continue
            dropped = bus.take_dropped(handle)
            if dropped:
                log.warning("%r fell %d events behind and missed them (limit %d); read them "
                            "from the event log", self, dropped, self.limit)
            for raw in events:
                self._deliver(raw)

    def _deliver(self, raw):
        event = json.loads(raw)
        try:
            self.callback(event)
            self.delivered += 1
        except Exception:
            self.failed += 1
            log.exception("subscriber %r failed on %s %s (the others go on)", self.callback,
                          event.get("type"), event.get("id"))


def subscribe(types, callback, kb=None, entry_type=None, limit=DEFAULT_LIMIT):
    """Calls callback(event) for each stored event matching types (patterns such as "entry.*"),
    and optionally one KB and one entry type. Returns the Subscription (its handle). Starts the
    bus in this process if it does not run yet; a bad pattern raises ValueError."""
    subscription = Subscription(types, callback, kb, entry_type, limit)
    runtime()._add(subscription)
    return subscription


def unsubscribe(subscription):
    subscription.cancel()
