"""Events for Pyrite operations that run no hook: the plugin wraps the Pyrite functions that do
them, once per process, when Pyrite constructs it (docs/pyrite.md lists each).

A wrapper runs the original unchanged and passes its result or exception through untouched; the
event goes out only after success; the wrapper itself never raises into Pyrite (what goes wrong
is logged). A function that is missing or has another signature (another version of Pyrite) is
reported once and left alone. Each can be turned off in pyrite.yaml:

    plugins:
      - name: eventbus
        settings:
          wrappers: {add_link: false}
"""

import functools
import importlib
import inspect
import logging
import pathlib
import threading
import time

from . import entries
from .errors import EventBusError
from .runtime import runtime, settings_file

log = logging.getLogger("pyrite.eventbus.wrappers")


class Wrapper:
    """One Pyrite function and what its success publishes.

    ``prepare(instance, arguments)`` (optional) runs first and reads what the event needs from
    before the call; ``emit(instance, arguments, result, prepared)`` runs after a success.
    """

    def __init__(self, name, module, cls, method, parameters, emit, prepare=None):
        self.name, self.module, self.cls, self.method = name, module, cls, method
        self.parameters = parameters  # the leading parameter names the wrapper relies on
        self.emit, self.prepare = emit, prepare

    def install(self, quiet_if_missing=False):
        """Wraps the function; False (said once in the log) when this Pyrite has another one."""
        try:
            owner = getattr(importlib.import_module(self.module), self.cls)
            original = getattr(owner, self.method)
        except (ImportError, AttributeError) as error:
            say = log.debug if quiet_if_missing else log.warning
            say("pyrite-eventbus: %s.%s.%s is not in this Pyrite (%s): no events for it",
                self.module, self.cls, self.method, error)
            return False
        if getattr(original, "__pyrite_eventbus__", False):
            return True
        try:
            signature = inspect.signature(original)
        except (TypeError, ValueError):
            signature = None
        if signature is None or list(signature.parameters)[:len(self.parameters)] != self.parameters:
            log.warning("pyrite-eventbus: %s.%s%s has another signature than the one this "
                        "plugin knows (%s): no events for it", self.cls, self.method,
                        signature or "(?)", ", ".join(self.parameters))
            return False
        setattr(owner, self.method, self._wrap(original, signature))
        return True

    def _wrap(self, original, signature):
        @functools.wraps(original)
        def wrapped(*args, **kwargs):
            arguments, prepared = self._before(signature, args, kwargs)
            result = original(*args, **kwargs)  # its exception goes to Pyrite's caller untouched
            if arguments is not None:
                try:
                    self.emit(args[0], arguments, result, prepared)
                except EventBusError:  # the plugin says once why the bus does not run
                    pass
                except Exception:  # never into Pyrite: its operation has succeeded
                    log.warning("pyrite-eventbus: no event for %s.%s", self.cls, self.method,
                                exc_info=True)
            return result

        wrapped.__pyrite_eventbus__ = True
        return wrapped

    def _before(self, signature, args, kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            prepared = self.prepare(args[0], arguments) if self.prepare else None
            return arguments, prepared
        except Exception:  # a call Pyrite itself will refuse, or state unreadable: no event
            log.debug("pyrite-eventbus: nothing read before %s.%s", self.cls, self.method,
                      exc_info=True)
            return None, None


def _bus():
    return runtime().bus()


def _after(hook, entry, kb, operation, previous=None):
    context = {"kb_name": kb, "operation": operation, "user": entries.default_actor()}
    if previous is not None:
        context["previous"] = previous
    _bus().call_hook(hook, entry, context)


def _links_of(service, entry_id, kb):
    entry = service.load_entry_from_disk(entry_id, kb)
    return None if entry is None else entries.entry_to_dict(entry)


def _prepare_link(service, arguments):
    return _links_of(service, arguments["source_id"], arguments["source_kb"])


def _emit_link(service, arguments, result, before):
    """KBService.add_link saved the entry with one more link (or, a duplicate, did nothing)."""
    after = _links_of(service, arguments["source_id"], arguments["source_kb"])
    if before is None or after is None or before.get("links") == after.get("links"):
        return
    _after("after_save", after, arguments["source_kb"], "update", before)


def _entry_from_index(row):
    """An entry as Pyrite's index has it (both sides of a sync's change, so they compare)."""
    entry = dict(row.get("metadata") or {})
    entry.update({"id": row["id"], "title": row.get("title") or "",
                  "type": row.get("entry_type") or "", "body": row.get("body") or "",
                  "tags": sorted(row.get("tags") or [])})
    for key in ("status", "assignee", "priority", "importance", "file_path"):
        if row.get(key) not in (None, ""):
            entry[key] = row[key]
    entry["links"] = [{"target": link["target_id"], "relation": link.get("relation") or "related",
                       **({"kb": link["target_kb"]} if link.get("target_kb") else {})}
                      for link in row.get("links") or []]
    return entry


def _is_stale(manager, file_path, indexed_at):
    check = getattr(manager, "_is_stale", None)
    try:
        return bool(check(pathlib.Path(file_path), indexed_at)) if check else True
    except Exception:  # a file gone: the sync removes it, and a removal needs no old version
        return False


def _prepare_sync(manager, arguments):
    """Before IndexManager.sync_incremental: each KB's indexed entries, and the old version of
    those whose file is newer than the index (they are what the sync will update)."""
    names = [arguments["kb_name"]] if arguments["kb_name"] else \
        [kb.name for kb in manager.config.knowledge_bases]
    snapshot = {}
    for kb in names:
        rows = manager.db.get_entries_for_indexing(kb)
        stale = [(row["id"], kb) for row in rows
                 if row.get("file_path") and row.get("indexed_at")
                 and _is_stale(manager, row["file_path"], row["indexed_at"])]
        snapshot[kb] = ({row["id"]: str(row.get("indexed_at")) for row in rows},
                        {row["id"]: _entry_from_index(row) for row in manager.db.get_entries(stale)})
    return time.monotonic(), snapshot


def _emit_sync(manager, arguments, result, prepared):
    """What the sync added, changed and removed becomes entry.* (files changed outside Pyrite
    reach subscribers and the graph), then kb.indexed for each KB synced."""
    started, snapshot = prepared
    duration_ms = int((time.monotonic() - started) * 1000)
    for kb, (old, previous) in snapshot.items():
        new = {row["id"]: str(row.get("indexed_at"))
               for row in manager.db.get_entries_for_indexing(kb)}
        added = [i for i in new if i not in old]
        updated = [i for i in new if i in old and new[i] != old[i]]
        removed = [i for i in old if i not in new]
        rows = {row["id"]: row for row in manager.db.get_entries([(i, kb) for i in added + updated])}
        for entry_id in added + updated:
            if entry_id in rows:
                _after("after_save", _entry_from_index(rows[entry_id]), kb,
                       "update" if entry_id in old else "create", previous.get(entry_id))
        for entry_id in removed:
            _after("after_delete", {"id": entry_id}, kb, "delete")
        _bus().notify("kb.indexed", {"kb": kb, "entries": len(new), "added": len(added),
                                     "updated": len(updated), "removed": len(removed),
                                     "duration_ms": duration_ms},
                      {"kb_name": kb, "user": entries.default_actor()})


_SCHEMA_CHANGES = {"add_type": 'added type "{}"', "remove_type": 'removed type "{}"'}


def _emit_schema(operation):
    def emit(service, arguments, result, prepared):
        if not isinstance(result, dict) or "error" in result:  # Pyrite refused: nothing changed
            return
        kb = arguments["kb_name"]
        data = {"kb": kb, "operation": operation}
        if operation in _SCHEMA_CHANGES:
            data["types"] = [arguments["type_name"]]
            data["changes"] = [_SCHEMA_CHANGES[operation].format(arguments["type_name"])]
        else:
            sections = [key for key in ("types", "policies", "validation")
                        if key in (arguments["schema"] or {})]
            data["types"] = sorted((arguments["schema"] or {}).get("types") or {})
            data["changes"] = [f"set {key}" for key in sections]
        _bus().notify("schema.changed", data, {"kb_name": kb, "user": entries.default_actor()})
    return emit


_quiet = threading.local()


class QuietWrapper(Wrapper):
    """A QAService method that validates on its way to something else: assess_entry / assess_kb
    write assessment entries (their hook makes the event, with the assessment's id), get_status
    is a dashboard. The validations inside them make no event of their own."""

    def __init__(self, method):
        super().__init__(method, "pyrite.services.qa_service", "QAService", method, ["self"], None)

    def _wrap(self, original, signature):
        @functools.wraps(original)
        def wrapped(*args, **kwargs):
            _quiet.depth = getattr(_quiet, "depth", 0) + 1
            try:
                return original(*args, **kwargs)
            finally:
                _quiet.depth -= 1

        wrapped.__pyrite_eventbus__ = True
        return wrapped


def _emit_validation(source):
    """QAService.validate_entry / validate_kb: one qa.validation_failed per entry with an
    error-level issue (a missing entry is not one: there is no entry to fail)."""
    def emit(service, arguments, result, prepared):
        if getattr(_quiet, "depth", 0):
            return
        issues = result.get("issues") if isinstance(result, dict) else None
        failed = {}
        for issue in issues or []:
            if not isinstance(issue, dict) or issue.get("severity") != "error" \
                    or issue.get("rule") == "entry_not_found" or not issue.get("entry_id"):
                continue
            key = (issue.get("kb_name") or arguments["kb_name"], issue["entry_id"])
            failed.setdefault(key, []).append(
                {name: str(issue[name]) for name in ("field", "rule", "message", "severity")
                 if issue.get(name) not in (None, "")})
        for (kb, entry_id), found in failed.items():
            _bus().notify("qa.validation_failed",
                          {"kb": kb, "entry_id": entry_id, "issues": found, "source": source},
                          {"kb_name": kb, "user": entries.default_actor()})
    return emit


WRAPPERS = [
    Wrapper("add_link", "pyrite.services.kb_service", "KBService", "add_link",
            ["self", "source_id", "source_kb", "target_id", "relation", "target_kb"], _emit_link,
            _prepare_link),
    Wrapper("sync_index", "pyrite.storage.index", "IndexManager", "sync_incremental",
            ["self", "kb_name", "progress_callback"], _emit_sync, _prepare_sync),
    Wrapper("add_type", "pyrite.services.schema_service", "SchemaService", "add_type",
            ["self", "kb_name", "type_name", "type_def"], _emit_schema("add_type")),
    Wrapper("remove_type", "pyrite.services.schema_service", "SchemaService", "remove_type",
            ["self", "kb_name", "type_name"], _emit_schema("remove_type")),
    Wrapper("set_schema", "pyrite.services.schema_service", "SchemaService", "set_schema",
            ["self", "kb_name", "schema"], _emit_schema("set_schema")),
    Wrapper("validate_entry", "pyrite.services.qa_service", "QAService", "validate_entry",
            ["self", "entry_id", "kb_name"], _emit_validation("validate_entry")),
    Wrapper("validate_kb", "pyrite.services.qa_service", "QAService", "validate_kb",
            ["self", "kb_name"], _emit_validation("validate_kb")),
]
NAMES = [wrapper.name for wrapper in WRAPPERS]
# Installed with the validation wrappers; a Pyrite without them is simply not told anything.
QUIET = {"validate_entry": ["assess_entry"], "validate_kb": ["assess_kb", "get_status"]}


def _switched_off():
    """The wrappers pyrite.yaml turns off (settings.wrappers: {name: false})."""
    path = settings_file()
    if not path.exists():
        return set()
    try:
        import yaml
        with open(path, encoding="utf-8") as file:
            document = yaml.safe_load(file) or {}
    except Exception as error:  # the bus reports a bad file itself, with file and line
        log.debug("pyrite-eventbus: %s not read for wrappers: %s", path, error)
        return set()
    for plugin in document.get("plugins") or []:
        if isinstance(plugin, dict) and plugin.get("name") == "eventbus":
            switches = (plugin.get("settings") or {}).get("wrappers") or {}
            return {name for name, on in switches.items() if on is False}
    return set()


_installed = None


def install():
    """Installs the wrappers once per process; returns the names of those in place."""
    global _installed
    if _installed is None:
        off = _switched_off()
        _installed = [w.name for w in WRAPPERS if w.name not in off and w.install()]
        for name in _installed:
            for method in QUIET.get(name, []):
                QuietWrapper(method).install(quiet_if_missing=True)
    return _installed
