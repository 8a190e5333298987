"""STAND-IN for pyrite/schema/provenance.py (Link, L93-130)."""

from dataclasses import dataclass


@dataclass
class Link:
    target: str
    relation: str = "related"
    note: str = ""
    kb: str = ""

    def to_dict(self):
        result = {"target": self.target, "relation": self.relation}
        if self.note:
            result["note"] = self.note
        if self.kb:
            result["kb"] = self.kb
        return result

    @classmethod
    def from_dict(cls, data):
        return cls(target=data.get("target") or data.get("to", ""),
                   relation=data.get("relation") or data.get("type", "related"),
                   note=data.get("note", ""), kb=data.get("kb", ""))
