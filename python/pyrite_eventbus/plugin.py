"""The plugin object Pyrite's registry constructs (entry point ``pyrite.plugins: eventbus``).

Pyrite calls ``EventBusPlugin()`` with no arguments and asks ``get_hooks()``; each hook forwards
to the event bus running in this process (``runtime.py``), with Pyrite's semantics: a veto or a
raising before_* hook of the bus raises ``HookVetoed`` (a ValueError and, with Pyrite installed, a
``pyrite.exceptions.ValidationError``), a replaced entry is returned as Pyrite's own type, and
after_* hooks never wait: the event is queued and the write goes on.
"""

import logging
import threading

from . import entries, versions, wrappers
from .errors import EventBusError, HookVetoed
from .runtime import runtime

log = logging.getLogger("pyrite.eventbus")

HOOK_NAMES = ("before_save", "after_save", "before_delete", "after_delete", "before_index")


class EventBusPlugin:
    name = "eventbus"

    def __init__(self):
        self._reported = False
        # The version on disk before an update, read in before_save, for after_save's
        # entry.updated "changes"; per thread, by (KB, id): a nested write (a parent task's
        # rollup) runs between a child's two hooks.
        self._previous = threading.local()
        wrappers.install()

    def get_hooks(self):
        return {name: [self._hook(name)] for name in HOOK_NAMES}

    # Not get_kb_types(): a plugin that declares KB types only sees hooks of those KBs, and the
    # bus must see every write.

    def get_cli_commands(self):
        """``pyrite events`` and ``pyrite webhooks`` (cli.py)."""
        from . import cli
        return cli.commands()

    def get_mcp_tools(self, tier):
        """events_since and events_wait on every tier, webhook_test and webhook_redeliver on
        admin (mcptools.py)."""
        from . import mcptools
        return mcptools.tools(tier)

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
            values, entry_dict = entries.context_to_dict(context), entries.entry_to_dict(entry)
            if hook in ("before_save", "after_save") and values.get("operation") == "update":
                self._track_previous(hook, entry, entry_dict, values)
            action, replaced, message, by, failures = bus.call_hook(hook, entry_dict, values)
            for failure in failures:
                log.warning("%s hook failed (the write stands): %s", hook, failure)
            if action in ("veto", "abort"):
                raise HookVetoed(hook, message, by)
            if before and action == "replace":
                return entries.rebuild_entry(entry, replaced)
            return None

        call.__name__ = f"eventbus_{hook}"
        return call

    def _track_previous(self, hook, entry, entry_dict, values):
        """before_save keeps the entry's file as it is; after_save compares it with the file
        Pyrite has just written (versions.py)."""
        texts = getattr(self._previous, "texts", None)
        if texts is None:
            texts = self._previous.texts = {}
        key = (values.get("kb_name"), getattr(entry, "id", None))
        if hook == "before_save":
            if len(texts) > 64:  # writes vetoed after this hook never reach after_save
                texts.clear()
            old = _read_text(entry)
            if old is not None:
                texts[key] = old
            return
        old, new = texts.pop(key, None), _read_text(entry)
        if old is not None and new is not None:
            previous = versions.previous_version(old, new, entry_dict)
            if previous is not None:
                values["previous"] = previous


def _read_text(entry):
    file_path = getattr(entry, "file_path", None)
    if not file_path:
        return None
    try:
        with open(file_path, encoding="utf-8") as file:
            return file.read()
    except (OSError, ValueError) as error:  # gone or not text: the event then lists no changes
        log.debug("cannot read %s: %s", file_path, error)
        return None
