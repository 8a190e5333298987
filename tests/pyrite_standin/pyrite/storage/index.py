"""STAND-IN for pyrite/storage/index.py (IndexManager, L104-840 at bbf3b31).

index_entry() turns an entry into an index row (with [[wikilinks]] in the body as links of
relation "wikilink", as the real one does); sync_incremental(kb_name=None,
progress_callback=None) walks each KB's files, re-indexes a file newer than its row
(_is_stale: file mtime > indexed_at), indexes new files and removes rows whose file is gone,
and returns {"added", "updated", "removed"}.
"""

import re
from datetime import datetime, timezone
from pathlib import Path

from .repository import KBRepository

_WIKILINK = re.compile(r"\[\[([^\]|#^]+)")


class IndexManager:
    def __init__(self, db, config=None):
        self.db = db
        self.config = config

    def index_entry(self, entry, kb_name, file_path):
        meta = entry.to_frontmatter()
        links = [{"target_id": link.target, "target_kb": link.kb or kb_name,
                  "relation": link.relation, "note": link.note} for link in entry.links]
        links += [{"target_id": target.strip(), "target_kb": kb_name, "relation": "wikilink",
                   "note": ""} for target in _WIKILINK.findall(entry.body or "")]
        known = {"id", "title", "type", "tags", "links", "status", "assignee"}
        self.db.upsert_entry({
            "id": entry.id, "kb_name": kb_name, "entry_type": entry.entry_type,
            "title": entry.title, "body": entry.body, "file_path": str(file_path),
            "status": meta.get("status"), "assignee": meta.get("assignee"),
            "tags": list(entry.tags), "links": links,
            "metadata": {k: v for k, v in meta.items() if k not in known},
            "indexed_at": datetime.now(timezone.utc).isoformat()})

    def remove_entry(self, entry_id, kb_name):
        return self.db.delete_entry(entry_id, kb_name)

    @staticmethod
    def _is_stale(file_path, indexed_at):
        mtime = datetime.fromtimestamp(Path(file_path).stat().st_mtime, tz=timezone.utc)
        return mtime > datetime.fromisoformat(indexed_at)

    def sync_incremental(self, kb_name=None, progress_callback=None):
        results = {"added": 0, "updated": 0, "removed": 0}
        kbs = [self.config.get_kb(kb_name)] if kb_name else self.config.knowledge_bases
        for kb in [kb for kb in kbs if kb and Path(kb.path).exists()]:
            repo = KBRepository(kb)
            indexed = {row["file_path"]: row for row in self.db.get_entries_for_indexing(kb.name)}
            seen = set()
            for file_path in repo.list_all_files():
                row = indexed.get(str(file_path))
                if row is not None:
                    seen.add(row["id"])
                    if self._is_stale(file_path, row["indexed_at"]):
                        self.index_entry(repo.load_entry_from_file(file_path), kb.name, file_path)
                        results["updated"] += 1
                    continue
                entry = repo.load_entry_from_file(file_path)
                seen.add(entry.id)
                self.index_entry(entry, kb.name, file_path)
                results["added"] += 1
            for row in indexed.values():
                if row["id"] not in seen:
                    self.remove_entry(row["id"], kb.name)
                    results["removed"] += 1
        return results
