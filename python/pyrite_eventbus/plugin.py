"""The plugin object Pyrite's registry constructs (entry point ``pyrite.plugins: eventbus``).

Pyrite calls ``EventBusPlugin()`` with no arguments and asks ``get_hooks()``; each hook forwards
to the event bus running in this process (``runtime.py``), with Pyrite's semantics: a veto or a
raising before_* hook of the bus raises ``HookVetoed`` (a ValueError and, with Pyrite installed, a
``pyrite.exceptions.ValidationError``), a replaced entry is returned as Pyrite's own type, and
after_* hooks never wait: the event is queued and the write goes on.
"""

import logging
import pathlib
import threading

from . import entries, wrappers
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
        versions = getattr(self._previous, "versions", None)
        if versions is None:
            versions = self._previous.versions = {}
        key = (values.get("kb_name"), getattr(entry, "id", None))
        if hook == "after_save":
            previous = versions.pop(key, None)
            if previous is not None:
                # A file's body comes back stripped of the blank lines around it, and where an
                # entry is kept is not one of its fields.
                if str(previous.get("body", "")).strip() == str(entry_dict.get("body", "")).strip():
                    previous["body"] = entry_dict.get("body")
                for key in ("kb_name", "file_path"):
                    previous.pop(key, None)
                    if key in entry_dict:
                        previous[key] = entry_dict[key]
                values["previous"] = previous
            return
        if len(versions) > 64:  # writes vetoed after this hook never reach after_save
            versions.clear()
        previous = _read_previous(entry)
        if previous is not None:
            versions[key] = previous


def _read_previous(entry):
    """The entry as its file still has it (Pyrite's update loads, changes, then saves)."""
    file_path, load = getattr(entry, "file_path", None), getattr(type(entry), "load", None)
    if not file_path or not callable(load):
        return None
    try:
        return entries.entry_to_dict(load(pathlib.Path(file_path)))
    except Exception as error:  # unreadable or gone: the event then lists no changes
        log.debug("no previous version of %s: %s", file_path, error)
        return None
