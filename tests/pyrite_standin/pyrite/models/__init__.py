from .base import Entry, NoteEntry, TaskEntry  # noqa: F401
