"""STAND-IN for pyrite/plugins/context.py (PluginContext, L21-53): a dataclass with dict access
that looks at attributes first, then `extra`."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PluginContext:
    config: Any = None
    db: Any = None
    kb_name: str = ""
    user: str = ""
    operation: str = ""
    kb_type: str = ""
    kb_schema: Any = None
    extra: dict = field(default_factory=dict)

    def __getitem__(self, key):
        if hasattr(self, key) and key != "extra":
            return getattr(self, key)
        return self.extra[key]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        return hasattr(self, key) or key in self.extra
