"""Exceptions the package raises into Pyrite."""


class EventBusError(RuntimeError):
    """The event bus cannot run in this process (the message says why and what to do)."""


def _veto_bases():
    # Pyrite turns ValidationError (a PyriteError) into 400 over REST and into CREATE_FAILED and
    # the like over MCP, and ValueError into 400 over REST: a veto is both, so that both answer
    # "your write was refused" rather than "internal error".
    try:
        from pyrite.exceptions import ValidationError
    except ImportError:
        return (ValueError,)
    return (ValidationError, ValueError)


class HookVetoed(*_veto_bases()):
    """A before_* hook of the bus (one of its plugins, or a hook registered in-process) vetoed the
    write or raised: Pyrite must not write. ``hook`` is the hook's name, ``by`` who stopped it."""

    def __init__(self, hook, message, by=None):
        super().__init__(f"{hook} stopped by {by or 'a hook'}: {message}")
        self.hook = hook
        self.message = message
        self.by = by
