"""STAND-IN for pyrite/models/base.py (Entry, L26-255) and three of its subclasses.

Entry is a dataclass; to_frontmatter() gives links as dicts (Link.to_dict()); the classmethod
from_frontmatter(meta, body) builds Link objects again (parse_links: a dict becomes
Link.from_dict, anything else a target with relation "related"). Setting a dict where a Link
belongs breaks a save, as in Pyrite ('dict' object has no attribute 'to_dict'). to_markdown /
from_markdown / load / save (L155-195) write "---", the front matter, "---", a blank line and the
body, the front matter in YAML (the stand-in's PyYAML for Pyrite's ruamel.yaml round trip).
"""

import yaml
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

    def add_link(self, target, relation, note="", kb=""):
        self.links.append(Link(target=target, relation=relation, note=note, kb=kb))

    def to_markdown(self):
        front = yaml.safe_dump(self.to_frontmatter(), sort_keys=False, allow_unicode=True,
                               default_flow_style=False, width=4096).rstrip("\n")
        return f"---\n{front}\n---\n\n{self.body}\n"

    @staticmethod
    def front_matter_of(text):
        parts = text.split("---\n", 2)
        if len(parts) < 3 or parts[0]:
            raise ValueError("Invalid entry format: missing YAML frontmatter")
        return yaml.safe_load(parts[1]) or {}

    @classmethod
    def from_markdown(cls, text):
        return cls.from_frontmatter(cls.front_matter_of(text), text.split("---\n", 2)[2].strip())

    @classmethod
    def load(cls, path):
        entry = cls.from_markdown(Path(path).read_text(encoding="utf-8"))
        entry.file_path = Path(path)
        return entry

    def save(self, path=None):
        path = Path(path or self.file_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_markdown(), encoding="utf-8")
        self.file_path = path
        return path


@dataclass
class NoteEntry(Entry):
    entry_type = "note"


@dataclass
class TaskEntry(Entry):
    status: str = "open"
    assignee: str = ""
    entry_type = "task"

    def to_frontmatter(self):
        meta = self._base_frontmatter()
        meta["status"] = self.status
        if self.assignee:
            meta["assignee"] = self.assignee
        return meta

    @classmethod
    def from_frontmatter(cls, meta, body):
        kwargs = cls._base_kwargs(meta, body)
        kwargs["status"] = kwargs["metadata"].pop("status", "open")
        kwargs["assignee"] = kwargs["metadata"].pop("assignee", "")
        return cls(**kwargs)


@dataclass
class QAAssessmentEntry(Entry):
    """STAND-IN for pyrite/models/core_types.py QAAssessmentEntry (L304-349)."""
    target_entry: str = ""
    qa_status: str = ""
    issues: list = field(default_factory=list)
    entry_type = "qa_assessment"

    def to_frontmatter(self):
        meta = self._base_frontmatter()
        meta.update(target_entry=self.target_entry, qa_status=self.qa_status, issues=self.issues)
        return meta

    @classmethod
    def from_frontmatter(cls, meta, body):
        kwargs = cls._base_kwargs(meta, body)
        for key, default in (("target_entry", ""), ("qa_status", ""), ("issues", [])):
            kwargs[key] = kwargs["metadata"].pop(key, default)
        return cls(**kwargs)


def entry_class(entry_type):
    """STAND-IN for pyrite/models/factory.py's type lookup (unknown types: NoteEntry here)."""
    return {"note": NoteEntry, "task": TaskEntry, "qa_assessment": QAAssessmentEntry}.get(
        entry_type, NoteEntry)
