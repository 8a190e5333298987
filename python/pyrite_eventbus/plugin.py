"""The plugin object Pyrite's registry constructs (entry point ``pyrite.plugins: eventbus``).

Pyrite calls ``EventBusPlugin()`` with no arguments and asks ``get_hooks()``; each hook forwards
to the event bus running in this process (``runtime.py``), with Pyrite's semantics: a veto or a
raising before_* hook of the bus raises ``HookVetoed`` (a ValueError and, with Pyrite installed, a
``pyrite.exceptions.ValidationError``), a replaced entry is returned as Pyrite's own type, and
after_* hooks never wait: the event is queued and the write goes on.
"""

import logging

from . import entries
from .errors import EventBusError, HookVetoed
from .runtime import runtime

log = logging.getLogger("pyrite.eventbus")

HOOK_NAMES = ("before_save", "after_save", "before_delete", "after_delete", "before_index")


class EventBusPlugin:
    name = "eventbus"

    def __init__(self):
        self._reported = False

    def get_hooks(self):
        return {name: [self._hook(name)] for name in HOOK_NAMES}

    # Not get_kb_types(): a plugin that declares KB types only sees hooks of those KBs, and the
    # bus must see every write.

    def _hook(self, hook):
        before = hook.startswith("before_")

        def call(entry, context):
            try:
                bus = runtime().bus(context)
            except EventBusError as error:
                # Pyrite's write goes on without an event rather than failing on a plugin's set-up.
                if not self._reported:
                    self._reported = True
                    log.error("%s; writes go on without events", error)
                return None
            action, replaced, message, by, failures = bus.call_hook(
                hook, entries.entry_to_dict(entry), entries.context_to_dict(context))
            for failure in failures:
                log.warning("%s hook failed (the write stands): %s", hook, failure)
            if action in ("veto", "abort"):
                raise HookVetoed(hook, message, by)
            if before and action == "replace":
                return entries.rebuild_entry(entry, replaced)
            return None

        call.__name__ = f"eventbus_{hook}"
        return call
