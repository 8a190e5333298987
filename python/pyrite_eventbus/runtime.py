"""The event bus in this process: started on first use, stopped at exit and around fork().

One per process (``runtime()``). It loads the same ``libpyrite-eventbus.so`` that ``pyrite-host``
loads, through the native module, and runs Qt's event loop on a thread of its own. Its settings
are ``pyrite.yaml`` beside Pyrite's config (``$PYRITE_DATA_DIR``, else ``~/.pyrite``), or the file
in ``$PYRITE_EVENTBUS_CONFIG``; the knowledge bases are Pyrite's own.
"""

import atexit
import logging
import os
import pathlib
import threading

from .errors import EventBusError

log = logging.getLogger("pyrite.eventbus")

_PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
_LEVELS = {b"debug": logging.DEBUG, b"info": logging.INFO, b"warning": logging.WARNING,
           b"error": logging.ERROR}


def pyrite_data_dir():
    """Pyrite's data folder, as Pyrite itself finds it (pyrite/config.py)."""
    for variable in ("PYRITE_DATA_DIR", "PYRITE_CONFIG_DIR"):
        if os.environ.get(variable):
            return pathlib.Path(os.environ[variable]).expanduser()
    return pathlib.Path.home() / ".pyrite"


def settings_file():
    """Where the plugin's settings are read from (a missing file means defaults)."""
    if os.environ.get("PYRITE_EVENTBUS_CONFIG"):
        return pathlib.Path(os.environ["PYRITE_EVENTBUS_CONFIG"]).expanduser()
    return pyrite_data_dir() / "pyrite.yaml"


def plugin_dirs():
    """The package's own copy of the plugin (pip), then where the Debian package puts it."""
    candidates = [_PACKAGE_DIR / "plugins",
                  _PACKAGE_DIR.parent.parent.parent / "pyrite" / "plugins",  # /usr/lib/python3/dist-packages
                  pathlib.Path("/usr/lib/pyrite/plugins")]
    return [str(path) for path in candidates if path.is_dir()]


def knowledge_bases(context=None):
    """Pyrite's KBs as (name, path): from the hook context's config, else Pyrite's config file."""
    config = None
    if context is not None:
        config = context.get("config") if hasattr(context, "get") else getattr(context, "config", None)
    if config is None:
        try:
            from pyrite.config import load_config
            config = load_config()
        except Exception:  # no Pyrite here, or its config cannot be read: no KBs then
            return []
    return [(str(kb.name), str(kb.path)) for kb in getattr(config, "knowledge_bases", [])]


def _pyrite_version():
    try:
        from importlib.metadata import version
        return version("pyrite")
    except Exception:
        return ""


class Runtime:
    def __init__(self):
        self._lock = threading.RLock()
        self._bus = None
        self._read_only = False
        self._secrets_optional = False
        self._failure = None
        self._log_thread = None
        self._subscriptions = set()
        self._restarts = 0

    # Life ---------------------------------------------------------------------------------

    def bus(self, context=None, read_only=False, secrets=True):
        """The running native bus, started now if it is not; EventBusError when it cannot run.

        ``read_only`` is for commands that only read (``pyrite events``, ``pyrite webhooks``): the
        log is opened read-only and the process serves nothing. ``secrets=False`` for those that
        sign nothing either: webhook secrets and stream tokens from unset environment variables
        are then left out instead of refused. A write in such a process, or a command that
        signs, restarts the bus as it needs to be."""
        bus = self._bus
        if bus is not None and self._serves(read_only, secrets):
            return bus
        with self._lock:
            if self._bus is not None and not self._serves(read_only, secrets):
                self.stop()
            if self._bus is None:
                self._start(context, read_only, not secrets)
            return self._bus

    def _serves(self, read_only, secrets):
        """Whether the running bus does what a caller with these needs asks."""
        return (read_only or not self._read_only) and (not secrets or not self._secrets_optional)

    def _start(self, context, read_only=False, secrets_optional=False):
        if self._failure is not None:
            raise EventBusError(self._failure)
        try:
            from . import _native
        except ImportError as error:
            self._failure = (f"the native module of pyrite-eventbus is missing ({error}); "
                             "install the package from a build (see README, With Pyrite)")
            raise EventBusError(self._failure) from error
        bus = _native.Bus()
        try:
            bus.start(str(settings_file()), str(pyrite_data_dir()), knowledge_bases(context),
                      plugin_dirs(), _pyrite_version(), read_only, secrets_optional)
        except RuntimeError as error:
            # A bad pyrite.yaml stays bad for this process: say it once, not on every write.
            self._failure = f"the event bus cannot start: {error}"
            raise EventBusError(self._failure) from error
        self._bus = bus
        self._read_only = read_only
        self._secrets_optional = secrets_optional
        self._restarts += 1
        self._log_thread = threading.Thread(target=self._forward_log, args=(bus,),
                                            name="pyrite-eventbus-log", daemon=True)
        self._log_thread.start()
        for subscription in list(self._subscriptions):
            subscription._attach(bus)

    def stop(self):
        """Writes what is queued to the event log and stops the bus (it starts again on use)."""
        with self._lock:
            bus, self._bus = self._bus, None
            if bus is None:
                return
            for subscription in list(self._subscriptions):
                subscription._detach(bus)
            bus.stop()
            for subscription in list(self._subscriptions):
                subscription._join(timeout=2.0)
            if self._log_thread is not None:
                self._log_thread.join(timeout=2.0)
                self._log_thread = None

    @property
    def running(self):
        return self._bus is not None

    # fork(): the bus thread does not exist in the child, so it is stopped before and started
    # again on first use, in the parent and in the child alike.
    def _before_fork(self):
        self._lock.acquire()
        self.stop()

    def _after_fork_in_parent(self):
        self._lock.release()

    def _after_fork_in_child(self):
        self._lock = threading.RLock()
        self._failure = None
        for subscription in self._subscriptions:
            subscription._forget_thread()

    # Subscriptions ------------------------------------------------------------------------

    def _add(self, subscription):
        with self._lock:
            if self._bus is not None:
                subscription._attach(self._bus)
                self._subscriptions.add(subscription)
                return
            self._subscriptions.add(subscription)
            try:
                self.bus()  # starting attaches every subscription
            except Exception:
                self._subscriptions.discard(subscription)
                raise

    def _remove(self, subscription):
        with self._lock:
            self._subscriptions.discard(subscription)
            if self._bus is not None:
                subscription._detach(self._bus)

    # Qt's log messages become Python log records (logger = the Qt category).
    def _forward_log(self, bus):
        while True:
            lines = bus.take_log(256, 500)
            if not lines and not bus.running:
                return
            for line in lines:
                level, category, message = (line.split(b"\t", 2) + [b"", b""])[:3]
                logging.getLogger(category.decode(errors="replace")).log(
                    _LEVELS.get(level, logging.INFO), "%s", message.decode(errors="replace"))


_runtime = Runtime()
atexit.register(_runtime.stop)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_runtime._before_fork,
                        after_in_parent=_runtime._after_fork_in_parent,
                        after_in_child=_runtime._after_fork_in_child)


def runtime():
    return _runtime
