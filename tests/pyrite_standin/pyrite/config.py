"""STAND-IN for pyrite/config.py: KBConfig (name, path, kb_type, kb_yaml_path), PyriteConfig
(knowledge_bases, get_kb) and load_config() (here: the KBs listed in $PYRITE_STANDIN_KBS as
name=path,name=path)."""

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class KBConfig:
    name: str
    path: Path
    kb_type: str = "generic"

    @property
    def kb_yaml_path(self):
        return Path(self.path) / "kb.yaml"


@dataclass
class PyriteConfig:
    knowledge_bases: list = field(default_factory=list)

    def get_kb(self, name):
        return next((kb for kb in self.knowledge_bases if kb.name == name), None)


def load_config():
    kbs = []
    for item in filter(None, os.environ.get("PYRITE_STANDIN_KBS", "").split(",")):
        name, path = item.split("=", 1)
        kbs.append(KBConfig(name, Path(path)))
    return PyriteConfig(knowledge_bases=kbs)
