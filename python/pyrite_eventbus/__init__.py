"""pyrite-eventbus: the event bus in Pyrite's own process.

Installed, Pyrite's plugin registry finds ``EventBusPlugin`` (entry point ``pyrite.plugins``) and
every write becomes a CloudEvent: in the event log shared by every Pyrite process, on live
WebSocket streams and webhooks (served by one of the processes), and for in-process subscribers::

    import pyrite_eventbus

    def on_task(event):
        print(event["type"], event["data"]["entry_id"], event["sequence"])

    pyrite_eventbus.subscribe(["task.*", "entry.created"], on_task, kb="tasks")

See docs/python.md.
"""

from .errors import EventBusError, HookVetoed
from .hookadapter import EventContext, EventEntry, run_hook_as_subscriber
from .plugin import EventBusPlugin
from .runtime import pyrite_data_dir, runtime, settings_file
from .subscribers import Subscription, subscribe, unsubscribe

__version__ = "0.1.0"

__all__ = ["EventBusPlugin", "EventBusError", "HookVetoed", "Subscription", "subscribe",
           "unsubscribe", "run_hook_as_subscriber", "EventEntry", "EventContext", "runtime",
           "settings_file", "pyrite_data_dir", "__version__"]
