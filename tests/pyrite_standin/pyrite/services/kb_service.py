"""STAND-IN for pyrite/services/kb_service.py (KBService, L48-1110 at bbf3b31).

The writes the plugin meets, with Pyrite's order: build the entry, before_save (a non-None result
replaces it, an exception aborts), save to its file (Link.to_dict() on every link, as the real
save does) and index it, after_save. update_entry loads the entry from its file, sets the
attributes it has, and passes extra {"old_status": ...} when the entry had a status;
claim_entry (L968-1049) is an update to status "claimed" with an assignee; delete_entry runs
before/after_delete. add_link (L527-568) and load_entry_from_disk (L946-952) run no hook, as in
Pyrite; sync_index (L1093-1103) is IndexManager.sync_incremental.
"""

from ..exceptions import EntryNotFoundError, KBNotFoundError
from ..models.base import entry_class
from ..plugins import PluginContext, get_registry
from ..storage.database import PyriteDB
from ..storage.index import IndexManager
from ..storage.repository import KBRepository


class KBService:
    def __init__(self, config, db=None):
        self.config = config
        self.db = db if db is not None else PyriteDB()
        self._index_mgr = IndexManager(self.db, config)

    def _kb(self, kb_name):
        kb = self.config.get_kb(kb_name)
        if kb is None:
            raise KBNotFoundError(f"KB not found: {kb_name}")
        return kb

    def _context(self, kb_name, operation, extra=None):
        return PluginContext(config=self.config, db=self.db, kb_name=kb_name, user="",
                             operation=operation, kb_type=self._kb(kb_name).kb_type,
                             extra=extra or {})

    @staticmethod
    def _run_hooks(hook_name, entry, context):
        return get_registry().run_hooks_for_kb(hook_name, entry, context,
                                               kb_type=context.get("kb_type", ""))

    def _save(self, kb_name, entry):
        entry.save_check()  # raises on a dict where a Link belongs, as Pyrite's save does
        entry.kb_name = kb_name
        path = KBRepository(self._kb(kb_name)).save(entry)
        self._index_mgr.index_entry(entry, kb_name, path)

    def create_entry(self, kb_name, entry_id, title, entry_type="note", body="", **kwargs):
        entry = entry_class(entry_type).from_frontmatter(
            {"id": entry_id, "title": title, **kwargs}, body)
        context = self._context(kb_name, "create")
        entry = self._run_hooks("before_save", entry, context)
        self._save(kb_name, entry)
        self._run_hooks("after_save", entry, context)
        return entry

    def update_entry(self, entry_id, kb_name, **updates):
        entry = self.load_entry_from_disk(entry_id, kb_name)
        if entry is None:
            raise EntryNotFoundError(f"Entry not found: {entry_id}")
        old_status = getattr(entry, "status", None)
        for key, value in updates.items():
            if hasattr(entry, key):
                setattr(entry, key, value)
        context = self._context(kb_name, "update", {"old_status": old_status} if old_status else {})
        entry = self._run_hooks("before_save", entry, context)
        self._save(kb_name, entry)
        self._run_hooks("after_save", entry, context)
        return entry

    def claim_entry(self, entry_id, kb_name, assignee, *, from_status="open",
                    to_status="claimed"):
        entry = self.load_entry_from_disk(entry_id, kb_name)
        if entry is None or getattr(entry, "status", None) != from_status:
            return {"claimed": False, "error": "not claimable",
                    "current_status": getattr(entry, "status", None)}
        self.update_entry(entry_id, kb_name, status=to_status, assignee=assignee)
        return {"claimed": True, "task_id": entry_id, "assignee": assignee, "status": to_status}

    def delete_entry(self, entry_id, kb_name):
        entry = self.load_entry_from_disk(entry_id, kb_name)
        if entry is None:
            return False
        context = self._context(kb_name, "delete")
        self._run_hooks("before_delete", entry, context)
        KBRepository(self._kb(kb_name)).delete(entry_id)
        self._index_mgr.remove_entry(entry_id, kb_name)
        self._run_hooks("after_delete", entry, context)
        return True

    def add_link(self, source_id, source_kb, target_id, relation="related_to", target_kb=None,
                 note=""):
        repo = KBRepository(self._kb(source_kb))
        entry = repo.load(source_id)
        if entry is None:
            raise EntryNotFoundError(f"Entry not found: {source_id}")
        tkb = target_kb or source_kb
        for existing in entry.links:
            if existing.target == target_id and (existing.kb or source_kb) == tkb:
                return  # Link already exists
        entry.add_link(target=target_id, relation=relation, note=note, kb=tkb)
        self._save(source_kb, entry)

    def load_entry_from_disk(self, entry_id, kb_name):
        kb = self.config.get_kb(kb_name)
        return KBRepository(kb).load(entry_id) if kb else None

    def sync_index(self, kb_name=None):
        return self._index_mgr.sync_incremental(kb_name)

    def get_entry(self, entry_id, kb_name):
        return self.db.get_entry(entry_id, kb_name)
