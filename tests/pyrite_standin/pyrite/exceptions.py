"""STAND-IN for pyrite/exceptions.py: the error classes (none subclasses ValueError)."""


class PyriteError(Exception):
    pass


class ValidationError(PyriteError):
    pass


class PluginError(PyriteError):
    pass


class KBNotFoundError(PyriteError):
    pass


class EntryNotFoundError(PyriteError):
    pass
