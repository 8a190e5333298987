"""STAND-IN for pyrite/models/base.py (Entry, L26-255) and two of its subclasses.

Entry is a dataclass; to_frontmatter() gives links as dicts (Link.to_dict()); the classmethod
from_frontmatter(meta, body) builds Link objects again (parse_links: a dict becomes
Link.from_dict, anything else a target with relation "related"). Setting a dict where a Link
belongs breaks a save, as in Pyrite ('dict' object has no attribute 'to_dict').
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..schema.provenance import Link


def parse_links(raw):
    return [Link.from_dict(item) if isinstance(item, dict) else Link(target=str(item))
            for item in raw or []]


@dataclass
class Entry:
    id: str
    title: str
    body: str = ""
    tags: list = field(default_factory=list)
    links: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    kb_name: str = ""
    file_path: Optional[Path] = None

    entry_type = "entry"

    def _base_frontmatter(self):
        meta = {"id": self.id, "title": self.title, "type": self.entry_type}
        if self.tags:
            meta["tags"] = list(self.tags)
        if self.links:
            meta["links"] = [link.to_dict() for link in self.links]
        meta.update(self.metadata)
        return meta

    def to_frontmatter(self):
        return self._base_frontmatter()

    @classmethod
    def _base_kwargs(cls, meta, body):
        known = {"id", "title", "type", "tags", "links"}
        return {"id": meta["id"], "title": meta.get("title", ""), "body": body,
                "tags": list(meta.get("tags") or []), "links": parse_links(meta.get("links")),
                "metadata": {k: v for k, v in meta.items() if k not in known}}

    @classmethod
    def from_frontmatter(cls, meta, body):
        return cls(**cls._base_kwargs(meta, body))

    def save_check(self):
        """What Pyrite's save does with links: Link.to_dict() on each."""
        return [link.to_dict() for link in self.links]


@dataclass
class NoteEntry(Entry):
    entry_type = "note"


@dataclass
class TaskEntry(Entry):
    status: str = "open"
    entry_type = "task"

    def to_frontmatter(self):
        meta = self._base_frontmatter()
        meta["status"] = self.status
        return meta

    @classmethod
    def from_frontmatter(cls, meta, body):
        kwargs = cls._base_kwargs(meta, body)
        kwargs["status"] = kwargs["metadata"].pop("status", "open")
        return cls(**kwargs)
