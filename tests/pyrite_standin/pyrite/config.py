"""STAND-IN for pyrite/config.py: KBConfig (name, path, kb_type), PyriteConfig
(knowledge_bases) and load_config() (here: the KBs listed in $PYRITE_STANDIN_KBS as
name=path,name=path)."""

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class KBConfig:
    name: str
    path: Path
    kb_type: str = "generic"


@dataclass
class PyriteConfig:
    knowledge_bases: list = field(default_factory=list)


def load_config():
    kbs = []
    for item in filter(None, os.environ.get("PYRITE_STANDIN_KBS", "").split(",")):
        name, path = item.split("=", 1)
        kbs.append(KBConfig(name, Path(path)))
    return PyriteConfig(knowledge_bases=kbs)
