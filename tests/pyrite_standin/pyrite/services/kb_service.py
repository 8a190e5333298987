"""STAND-IN for pyrite/services/kb_service.py (KBService, L48-1090 at bbf3b31).

The writes the plugin meets, with Pyrite's order: build the entry, before_save (a non-None result
replaces it, an exception aborts), save (Link.to_dict() on every link, as the real save does),
after_save; updates with extra {"old_status": ...} when the entry has a status; deletes with
before/after_delete when the entry exists. Entries are kept in memory, per KB.
"""

from ..models.base import NoteEntry, TaskEntry
from ..plugins import PluginContext, get_registry

_CLASSES = {"note": NoteEntry, "task": TaskEntry}


class KBService:
    def __init__(self, config, db=None):
        self.config = config
        self.db = db
        self.store = {}

    def _context(self, kb_name, operation, extra=None):
        kb_type = next((kb.kb_type for kb in self.config.knowledge_bases if kb.name == kb_name),
                       "generic")
        return PluginContext(config=self.config, db=self.db, kb_name=kb_name, user="",
                             operation=operation, kb_type=kb_type, extra=extra or {})

    @staticmethod
    def _run_hooks(hook_name, entry, context):
        return get_registry().run_hooks_for_kb(hook_name, entry, context,
                                               kb_type=context.get("kb_type", ""))

    def _save(self, kb_name, entry):
        entry.save_check()  # raises on a dict where a Link belongs, as Pyrite's save does
        entry.kb_name = kb_name
        self.store[(kb_name, entry.id)] = entry

    def create_entry(self, kb_name, entry_id, title, entry_type="note", body="", **kwargs):
        cls = _CLASSES.get(entry_type, NoteEntry)
        entry = cls.from_frontmatter({"id": entry_id, "title": title, **kwargs}, body)
        context = self._context(kb_name, "create")
        entry = self._run_hooks("before_save", entry, context)
        self._save(kb_name, entry)
        self._run_hooks("after_save", entry, context)
        return entry

    def update_entry(self, entry_id, kb_name, **updates):
        entry = self.store[(kb_name, entry_id)]
        old_status = getattr(entry, "status", None)
        for key, value in updates.items():
            if hasattr(entry, key):
                setattr(entry, key, value)
        context = self._context(kb_name, "update", {"old_status": old_status} if old_status else {})
        entry = self._run_hooks("before_save", entry, context)
        self._save(kb_name, entry)
        self._run_hooks("after_save", entry, context)
        return entry

    def delete_entry(self, entry_id, kb_name):
        entry = self.store.get((kb_name, entry_id))
        if entry is None:
            return False
        context = self._context(kb_name, "delete")
        self._run_hooks("before_delete", entry, context)
        del self.store[(kb_name, entry_id)]
        self._run_hooks("after_delete", entry, context)
        return True
