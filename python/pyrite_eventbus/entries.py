"""Pyrite's entries and hook contexts as the bus takes them (JSON objects), and back.

Pyrite passes ``Entry`` objects (``pyrite/models/base.py``): ``to_frontmatter()`` gives the front
matter with ``links`` as plain dicts, the body is an attribute. A replacement comes back as a JSON
object and is rebuilt as the entry's own type with ``from_frontmatter(meta, body)``, so that
``Link`` objects stay ``Link`` objects.
"""

import getpass
import json
import os

# Not front matter: what the bus is told besides it, and what a rebuilt entry takes over.
_NOT_META = ("body", "kb_name", "file_path")
_KEPT_ATTRIBUTES = ("kb_name", "file_path", "created_at", "updated_at")
_CONTEXT_KEYS = ("kb_name", "user", "operation", "kb_type")


def _json_default(value):
    # Dates, paths and other values Pyrite keeps in front matter go out as text.
    return str(value)


def entry_to_dict(entry):
    """The entry as a plain dict: its front matter, body, KB and file."""
    if isinstance(entry, dict):
        return dict(entry)
    convert = getattr(entry, "to_frontmatter", None) or getattr(entry, "to_dict", None)
    if callable(convert):
        result = dict(convert())
    else:
        result = {key: value for key, value in vars(entry).items() if not key.startswith("_")}
    for attribute in ("body", "kb_name"):
        value = getattr(entry, attribute, None)
        if value and attribute not in result:
            result[attribute] = value
    file_path = getattr(entry, "file_path", None)
    if file_path:
        result["file_path"] = str(file_path)
    return result


def default_actor():
    """Who a write is by when Pyrite does not say (its context's user is always empty today):
    $PYRITE_EVENTBUS_ACTOR, else the login name of the Pyrite process."""
    actor = os.environ.get("PYRITE_EVENTBUS_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container, say)
        return ""


def context_to_dict(context):
    """The fields of Pyrite's PluginContext the bus uses (``config`` and ``db`` stay here)."""
    if context is None:
        return {}
    if isinstance(context, dict):
        get = context.get
    else:  # Pyrite's PluginContext dataclass: its attributes, quicker than its get()
        def get(key, default=None):
            return getattr(context, key, default)
    result = {}
    for key in _CONTEXT_KEYS:
        value = get(key)
        if value:
            result[key] = value
    if "user" not in result:
        result["user"] = _ACTOR
    schema, extra = get("kb_schema"), get("extra")
    if schema and isinstance(schema, dict):
        result["kb_schema"] = schema
    if extra and isinstance(extra, dict):
        result["extra"] = dict(extra)
        previous = extra.get("previous") or extra.get("previous_entry")
    else:
        previous = get("previous") or get("previous_entry")
    if previous is not None:
        result["previous"] = entry_to_dict(previous)
    return result


_ACTOR = default_actor()


def to_json(value):
    return json.dumps(value, default=_json_default, separators=(",", ":")).encode()


def rebuild_entry(original, replacement):
    """The replacement a before_* hook returned, in the shape Pyrite passed the entry in."""
    if isinstance(original, dict):
        return replacement
    meta = {key: value for key, value in replacement.items() if key not in _NOT_META}
    body = replacement.get("body", getattr(original, "body", ""))
    rebuilt = type(original).from_frontmatter(meta, body)
    for attribute in _KEPT_ATTRIBUTES:
        if hasattr(original, attribute) and hasattr(rebuilt, attribute):
            setattr(rebuilt, attribute, getattr(original, attribute))
    return rebuilt
