"""The previous version of an updated entry, for entry.updated's ``changes``, from the entry's file
as it was before the write and as Pyrite has just written it.

Loading an entry the way Pyrite does (``Entry.load``: round-trip YAML) takes about a millisecond;
an update's two hooks must cost far less. Pyrite writes every front matter field as a top-level
YAML key with its value below it, so the two files are compared key by key as text, and only the
keys whose text differs are parsed (a field spelled differently with the same value, such as
quotes a hand-written file had, is no change).
"""

import re

_SEPARATOR = re.compile(r"^---\s*$", re.MULTILINE)  # as Pyrite's Entry.from_markdown splits
_TOP_LEVEL_KEY = re.compile(r"""([^\s#'"\-?:][^:\n]*?|'[^'\n]*'|"[^"\n]*"):(?:\s|$)""")
_KEY_START = re.compile(r"^(?=[^\s#\-])", re.MULTILINE)


def _loader():
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return lambda text: yaml.load(text, Loader=loader)
    except ImportError:
        pass
    try:
        from ruamel.yaml import YAML
        return YAML(typ="safe").load
    except ImportError:
        return None


_load = _loader()


def split(text):
    """(front matter as {top-level key: its lines}, body) of an entry file; None if it is not one."""
    parts = _SEPARATOR.split(text, maxsplit=2)
    if len(parts) < 3:
        return None
    blocks = {}
    # A top-level key starts at column 0; list items ("- x"), indented lines and comments belong
    # to the key above them.
    for block in _KEY_START.split(parts[1].strip("\n")):
        match = _TOP_LEVEL_KEY.match(block)
        if match:
            blocks[match.group(1).strip("'\"")] = block.rstrip("\n")
    return blocks, parts[2].strip()


def _value(block, key):
    """The value a block holds; None when it cannot be parsed (then its text stands for it)."""
    if _load is None:
        return None
    try:
        parsed = _load(block)
    except Exception:  # any error of any YAML library: the text decides
        return None
    return parsed.get(key) if isinstance(parsed, dict) else None


def previous_version(old_text, new_text, current):
    """The entry before the write: ``current`` (the dict the bus gets) with the old value of every
    field whose value differs between the two files. None when either is not an entry file."""
    if old_text == new_text:
        return dict(current)
    old, new = split(old_text), split(new_text)
    if old is None or new is None:
        return None
    (old_blocks, old_body), (new_blocks, new_body) = old, new
    previous = dict(current)
    for key in old_blocks.keys() | new_blocks.keys():
        before, after = old_blocks.get(key), new_blocks.get(key)
        if before == after:
            continue
        if before is None:
            previous.pop(key, None)
            continue
        old_value = _value(before, key)
        if after is not None and old_value is not None and old_value == _value(after, key):
            continue
        previous[key] = old_value if old_value is not None else before
        if previous[key] == current.get(key):  # parsed alike, written differently: still a change
            previous[key] = before
    if old_body != new_body:
        previous["body"] = old_body
    return previous
