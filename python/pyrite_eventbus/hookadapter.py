"""Existing Pyrite hook functions, run as event subscribers.

A plugin's ``after_save(entry, context)`` keeps its signature: ``run_hook_as_subscriber(after_save)``
calls it with each ``entry.created``/``entry.updated`` event's entry and context, on the
subscription's thread, after the write, outside Pyrite's write path.
"""

from .subscribers import subscribe

_OPERATIONS = {"entry.created": "create", "entry.updated": "update", "entry.deleted": "delete"}


class EventEntry:
    """The entry as the event carries it: ``id``, ``title``, ``entry_type``, ``tags``, ``links``
    (dicts with ``target``, ``relation``, ``kb``), ``kb_name``, ``changes``; the event itself in
    ``event``. ``to_frontmatter()`` as Pyrite's entries have it."""

    def __init__(self, event):
        data = event.get("data") or {}
        self.event = event
        self.id = data.get("entry_id", "")
        self.title = data.get("title", "")
        self.entry_type = data.get("entry_type", "")
        self.tags = list(data.get("tags") or [])
        self.links = list(data.get("links") or [])
        self.kb_name = data.get("kb", "")
        self.changes = list(data.get("changes") or [])

    def to_frontmatter(self):
        return {"id": self.id, "title": self.title, "type": self.entry_type, "tags": self.tags,
                "links": self.links}

    def __repr__(self):
        return f"<EventEntry {self.kb_name}/{self.id} ({self.entry_type})>"


class EventContext(dict):
    """The hook context rebuilt from the event: ``kb_name``, ``user`` (the event's actor),
    ``operation``, ``event``; dict access and attribute access, like Pyrite's PluginContext."""

    def __init__(self, event):
        data = event.get("data") or {}
        super().__init__(kb_name=data.get("kb", ""), user=data.get("actor", ""),
                         operation=_OPERATIONS.get(event.get("type"), ""), extra={},
                         event=event)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


def run_hook_as_subscriber(hook, types=("entry.created", "entry.updated"), kb=None,
                           entry_type=None):
    """Subscribes hook(entry, context) to the events of types; returns the Subscription."""

    def call(event):
        hook(EventEntry(event), EventContext(event))

    call.__qualname__ = f"subscriber of {getattr(hook, '__qualname__', hook)!s}"
    return subscribe(list(types), call, kb=kb, entry_type=entry_type)
