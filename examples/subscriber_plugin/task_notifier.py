"""An example Pyrite plugin that reacts to events instead of running in Pyrite's write path.

Before, its after_save hook ran inside every write; now the same function runs as a subscriber of
the event bus, after the write, on a thread of its own, and a second subscriber follows tasks.
Install it beside pyrite-eventbus (pip install ./examples/subscriber_plugin); Pyrite's registry
constructs TaskNotifier() in every Pyrite process.
"""

import logging

import pyrite_eventbus

log = logging.getLogger("task_notifier")


def announce(entry, context):
    """The plugin's old after_save hook, unchanged."""
    log.info("%s %s/%s: %s", context.operation, context["kb_name"], entry.id, entry.title)


def on_task(event):
    data = event["data"]
    log.info("task %s is now %s (event %s)", data["entry_id"], event["type"], event["sequence"])


class TaskNotifier:
    name = "task_notifier"

    def __init__(self):
        # No get_hooks(): nothing of this plugin runs inside a write any more.
        self.subscriptions = [
            pyrite_eventbus.run_hook_as_subscriber(announce, types=["entry.created"]),
            pyrite_eventbus.subscribe(["task.*"], on_task),
        ]
