"""STAND-IN for pyrite/storage/repository.py (KBRepository, L243-340 at bbf3b31).

One file per entry, <kb path>/<id>.md, written by Entry.save() (the stand-in's front matter is
JSON, which is YAML too); load(entry_id) reads it back as the entry's own type, or None.
"""

from pathlib import Path

from ..models.base import entry_class


class KBRepository:
    def __init__(self, kb_config):
        self.kb = kb_config
        self.path = Path(kb_config.path)

    def _file(self, entry_id):
        return self.path / f"{entry_id}.md"

    def load(self, entry_id):
        file_path = self._file(entry_id)
        return self.load_entry_from_file(file_path) if file_path.exists() else None

    def save(self, entry, subdir=None):
        return entry.save(self._file(entry.id))

    def delete(self, entry_id):
        file_path = self._file(entry_id)
        if not file_path.exists():
            return False
        file_path.unlink()
        return True

    def list_all_files(self):
        return sorted(self.path.glob("*.md"))

    def count(self):
        return len(self.list_all_files())

    def load_entry_from_file(self, file_path):
        from ..models.base import Entry
        meta = Entry.front_matter_of(Path(file_path).read_text(encoding="utf-8"))
        return entry_class(meta.get("type", "note")).load(Path(file_path))
