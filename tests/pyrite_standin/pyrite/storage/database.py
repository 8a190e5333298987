"""STAND-IN for pyrite/storage/database.py (PyriteDB, the index): entries kept in memory per
(id, KB), with the methods and row shapes the plugin reads (storage/crud.py
get_entries_for_indexing L78-80, get_entries L26-28; storage/backends/base_backend.py
_entry_to_dict L284-312 and _get_entry_links L358-366)."""

import threading


class PyriteDB:
    def __init__(self, db_path=None):
        self.rows = {}
        self._lock = threading.Lock()

    def upsert_entry(self, row):
        with self._lock:
            self.rows[(row["id"], row["kb_name"])] = dict(row)

    def delete_entry(self, entry_id, kb_name):
        with self._lock:
            return self.rows.pop((entry_id, kb_name), None) is not None

    def get_entries_for_indexing(self, kb_name):
        with self._lock:
            return [{"id": row["id"], "file_path": row["file_path"],
                     "indexed_at": row["indexed_at"]}
                    for (entry_id, kb), row in self.rows.items() if kb == kb_name]

    def get_entries(self, ids):
        with self._lock:
            return [dict(self.rows[key]) for key in ids if key in self.rows]

    def get_entry(self, entry_id, kb_name):
        with self._lock:
            row = self.rows.get((entry_id, kb_name))
            return dict(row) if row else None

    def list_kb_rows(self, kb_name):
        with self._lock:
            return [dict(row) for (entry_id, kb), row in self.rows.items() if kb == kb_name]
