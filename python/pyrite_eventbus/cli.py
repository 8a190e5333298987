"""``pyrite events`` and ``pyrite webhooks``: Pyrite's CLI speaking events (get_cli_commands).

They behave as pyrite-host's ``events``, ``deliveries``, ``redeliver`` and ``webhook-test``
(docs/pyrite.md): the same log, filters, messages and exit codes (2 for a bad argument or
settings, 1 for a failure). Typer is imported here only: Pyrite's CLI has it, the plugin's hooks
do not need it.
"""

import json
import sys
import time
from typing import List, Optional

import typer

from . import catchup
from .errors import EventBusError
from .runtime import runtime

FORMATS = ("table", "json")


def _fail(command, message, code):
    typer.echo(f"pyrite {command}: {message}", err=True)
    raise typer.Exit(code)


def _check_format(command, fmt):
    if fmt not in FORMATS:
        _fail(command, f'--format: "{fmt}" is not one of {", ".join(FORMATS)}', 2)


def _bus(command, signs=False):
    """The bus opened read-only; secrets only for a command that signs (webhooks test)."""
    try:
        return runtime().bus(read_only=True, secrets=signs)
    except EventBusError as error:
        _fail(command, str(error), 2)


# events ------------------------------------------------------------------------------------------

def _event_line(event, fmt):
    if fmt == "json":
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    data = event.get("data") or {}
    return "{:>7}  {:<24}  {:<22}  {:<32}  {}".format(
        event.get("sequence", ""), event.get("time", "")[:23], event.get("type", ""),
        event.get("subject", ""), data.get("title") or data.get("actor") or "")


def _print_new(result, state, fmt):
    """Prints a page; says once when the position given was of another log or pruned."""
    if not result["recovered"] and not state["said"]:
        state["said"] = True
        if state["epoch"] and state["epoch"] != result["epoch"]:
            typer.echo(f"pyrite events: epoch {state['epoch']} is not this log's "
                       f"({result['epoch']}): it was created anew; from its first event",
                       err=True)
        else:
            typer.echo(f"pyrite events: events {state['since'] + 1} to {result['oldest'] - 1} "
                       f"were pruned; the log starts at {result['oldest']}", err=True)
    for event in result["events"]:
        typer.echo(_event_line(event, fmt))
    state["since"], state["epoch"] = result["next"], result["epoch"]


events_app = typer.Typer(help="The event log: print its events, or verify its hash chain.",
                         invoke_without_command=True)


@events_app.callback(invoke_without_command=True)
def events(
        ctx: typer.Context,
        since: int = typer.Option(0, "--since", help="Only events after this sequence."),
        epoch: str = typer.Option("", "--epoch", help="The log the --since position is of "
                                  "(a position of another log starts from the beginning)."),
        types: List[str] = typer.Option([], "--type", "-t",
                                        help="Event type pattern, like entry.* (repeatable)."),
        kb: str = typer.Option("", "--kb", "-k", help="Only this knowledge base."),
        entry_type: str = typer.Option("", "--entry-type", help="Only entries of this type."),
        from_time: str = typer.Option("", "--from", help="From this time (RFC 3339)."),
        until_time: str = typer.Option("", "--until", help="Before this time (RFC 3339)."),
        follow: bool = typer.Option(False, "--follow", help="Then wait for new events."),
        interval: float = typer.Option(1.0, "--interval", help="--follow: seconds between reads."),
        fmt: str = typer.Option("table", "--format", "-f",
                                help="table, or json: one CloudEvent per line."),
):
    """Print the events of the event log, oldest first (and with --follow, new ones as they come)."""
    if ctx.invoked_subcommand:
        return
    _check_format("events", fmt)
    if since < 0 or not 0.05 <= interval <= 3600:
        _fail("events", "--since must be at least 0 and --interval from 0.05 to 3600 seconds", 2)
    try:
        window = (catchup.parse_time(from_time, "--from"), catchup.parse_time(until_time, "--until"))
    except catchup.CatchUpError as error:
        _fail("events", str(error), 2)
    _bus("events")
    state = {"since": since, "epoch": epoch, "said": False}
    try:
        while True:
            result = catchup.read(state["since"], state["epoch"], types, kb, entry_type,
                                  catchup.MAX_LIMIT, *window, read_only=True)
            _print_new(result, state, fmt)
            sys.stdout.flush()
            if result["more"]:
                continue
            if not follow:
                return
            time.sleep(interval)
    except catchup.CatchUpError as error:
        _fail("events", str(error), 2)
    except KeyboardInterrupt:
        return


@events_app.command("verify")
def verify(fmt: str = typer.Option("table", "--format", "-f", help="table, or json.")):
    """Check the event log's hash chain from its oldest kept event; exit 1 and name the first
    event that does not match when it breaks (edited, deleted, inserted or reordered)."""
    _check_format("events verify", fmt)
    bus = _bus("events verify")
    try:
        report = bus.verify_events()
    except ValueError as error:
        _fail("events verify", str(error), 1)
    if fmt == "json":
        typer.echo(json.dumps(report, separators=(",", ":"), ensure_ascii=False))
    elif report["intact"]:
        older = (f"; {report['unchained']} older events have no hash"
                 if report["unchained"] else "")
        typer.echo(f"the chain is intact: {report['checked']} events checked "
                   f"({report['first_sequence']} to {report['last_sequence']}){older}")
    else:
        typer.echo(f"the chain breaks at sequence {report['broken_at']}: {report['problem']}")
    if not report["intact"]:
        raise typer.Exit(1)


# webhooks ----------------------------------------------------------------------------------------

webhooks = typer.Typer(help="Webhook endpoints, deliveries, redelivery and tests.",
                       no_args_is_help=True)


def _objects(command, call):
    try:
        return [json.loads(item) for item in call()]
    except ValueError as error:
        _fail(command, str(error), 1)


@webhooks.command("list")
def webhooks_list(fmt: str = typer.Option("table", "--format", "-f", help="table or json.")):
    """Every endpoint, configured and made at run time, with its health (never a secret)."""
    _check_format("webhooks list", fmt)
    endpoints = _objects("webhooks list", _bus("webhooks list").webhook_endpoints)
    if fmt == "json":
        for endpoint in endpoints:
            typer.echo(json.dumps(endpoint, separators=(",", ":")))
        return
    if not endpoints:
        typer.echo("no webhook endpoints (add them under webhooks: in pyrite.yaml or a kb.yaml, "
                   "or with \"pyrite webhooks create\")")
    for endpoint in endpoints:
        state = "on" if endpoint.get("enabled", True) else "off"
        events = ",".join(endpoint.get("events") or []) or "*"
        typer.echo(f"{endpoint.get('id', ''):<20}  {state:<3}  {endpoint.get('format', ''):<10}  "
                   f"{events:<24}  {endpoint.get('url', '')}")


@webhooks.command("deliveries")
def webhooks_deliveries(
        endpoint: str = typer.Option("", "--endpoint", help="Only those to this endpoint id."),
        state: str = typer.Option("", "--state", help="Only pending, delivered or dead ones."),
        limit: int = typer.Option(100, "--limit", help="At most this many, newest first."),
        attempts: bool = typer.Option(False, "--attempts", help="With every attempt's answer."),
        fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
):
    """Deliveries from the outbox, newest first."""
    _check_format("webhooks deliveries", fmt)
    if not 1 <= limit <= 10000:
        _fail("webhooks deliveries", "--limit must be from 1 to 10000", 2)
    bus = _bus("webhooks deliveries")
    deliveries = _objects("webhooks deliveries",
                          lambda: bus.list_deliveries(endpoint, state, limit, attempts))
    for delivery in deliveries:
        if fmt == "json":
            typer.echo(json.dumps(delivery, separators=(",", ":")))
            continue
        answer = delivery.get("last_status") or delivery.get("last_error") or ""
        typer.echo(f"{delivery.get('id', ''):>6}  {delivery.get('state', ''):<9}  "
                   f"{delivery.get('endpoint', ''):<20}  seq {delivery.get('sequence', '')}  "
                   f"attempts {delivery.get('attempts', 0)}  {answer}")


@webhooks.command("redeliver")
def webhooks_redeliver(
        delivery_id: Optional[int] = typer.Argument(None, help="A delivery id (webhooks "
                                                     "deliveries)."),
        dead: bool = typer.Option(False, "--dead", help="Every dead delivery."),
        endpoint: str = typer.Option("", "--endpoint", help="With --dead: only this endpoint's."),
):
    """Make a delivery (or every dead one) pending again; a running server sends it within
    seconds."""
    if dead == (delivery_id is not None) or (delivery_id is not None and delivery_id <= 0):
        _fail("webhooks redeliver", 'give a delivery id (a number from "pyrite webhooks '
                                    'deliveries") or --dead', 2)
    if endpoint and not dead:
        _fail("webhooks redeliver", "--endpoint goes with --dead", 2)
    bus = _bus("webhooks redeliver")
    try:
        count = (bus.redeliver_dead_of(endpoint) if endpoint
                 else bus.redeliver(0 if dead else delivery_id))
    except ValueError as error:
        _fail("webhooks redeliver", str(error), 1)
    if not dead and count == 0:
        _fail("webhooks redeliver", f"no delivery {delivery_id}", 1)
    typer.echo(f"deliveries pending again: {count}; a running server sends them within seconds")


@webhooks.command("test")
def webhooks_test(
        url: str = typer.Argument(..., help="Where to send one sample event: a URL, or the id "
                                            "of an endpoint (sent to as it is)."),
        timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for the answer."),
):
    """Send one sample event to a URL or an endpoint (outside the outbox) and print the
    answer."""
    if not 1 <= timeout <= 300:
        _fail("webhooks test", "--timeout must be from 1 to 300 seconds", 2)
    bus = _bus("webhooks test", signs=True)
    try:
        answer = json.loads(bus.send_test_webhook(url, int(timeout * 1000)))
    except ValueError as error:
        _fail("webhooks test", str(error), 2 if str(error).startswith("not a URL") else 1)
    typer.echo(json.dumps(answer, indent=2))
    if answer.get("error"):
        raise typer.Exit(1)


def _definition(command, text):
    """The endpoint definition of an argument, or of stdin for "-"."""
    if text == "-":
        text = sys.stdin.read(64 * 1024 + 1)
        if len(text) > 64 * 1024:
            _fail(command, "the definition on stdin is larger than 65536 bytes", 1)
    try:
        definition = json.loads(text)
    except ValueError as error:
        _fail(command, f"the definition is not valid JSON: {error}", 1)
    if not isinstance(definition, dict):
        _fail(command, "the definition must be a JSON object, like "
                       "'{\"url\": \"https://hooks.example.com/pyrite\"}'", 1)
    return json.dumps(definition)


def _change(command, operation, endpoint_id="", definition="", grace_ms=0):
    bus = _bus(command)
    try:
        answer = json.loads(bus.change_webhook_endpoint(operation, endpoint_id, definition,
                                                        grace_ms))
    except ValueError as error:
        _fail(command, str(error), 1)
    for warning in answer.pop("warnings", []):
        typer.echo(f"pyrite {command}: warning: {warning}", err=True)
    typer.echo(json.dumps(answer, separators=(",", ":")))
    if "secret" in answer:
        typer.echo(f"pyrite {command}: the secret is shown only now; give it to the receiver "
                   "to verify signatures", err=True)


DEFINITION_HELP = ("The endpoint as a JSON object (- reads stdin): url, events, filter {kb, type}, "
                   "format, headers, timeout, max_attempts, enabled, allow_private, id.")


@webhooks.command("create")
def webhooks_create(definition: str = typer.Argument(..., help=DEFINITION_HELP)):
    """Make an endpoint at run time, kept in the event log's database; prints it with its secret,
    shown only this once."""
    _change("webhooks create", "create", definition=_definition("webhooks create", definition))


@webhooks.command("update")
def webhooks_update(endpoint_id: str = typer.Argument(..., help="The endpoint's id."),
                    changes: str = typer.Argument(..., help="The keys to change as a JSON object "
                                                            "(null: back to the default; - reads "
                                                            "stdin).")):
    """Change an endpoint made at run time (configured ones are changed in their file)."""
    _change("webhooks update", "update", endpoint_id, _definition("webhooks update", changes))


@webhooks.command("delete")
def webhooks_delete(endpoint_id: str = typer.Argument(..., help="The endpoint's id.")):
    """Delete an endpoint made at run time, with its deliveries."""
    _change("webhooks delete", "delete", endpoint_id)


@webhooks.command("rotate-secret")
def webhooks_rotate_secret(
        endpoint_id: str = typer.Argument(..., help="The endpoint's id."),
        grace: float = typer.Option(24.0, "--grace-hours", help="How long the old secret signs "
                                                                "as well (0 to 720 hours)."),
):
    """A new secret for an endpoint made at run time, printed once; the old one keeps signing
    beside it for the grace period."""
    if not 0 <= grace <= 720:
        _fail("webhooks rotate-secret", "--grace-hours must be from 0 to 720", 2)
    _change("webhooks rotate-secret", "rotate-secret", endpoint_id, grace_ms=int(grace * 3600000))


def commands():
    """What EventBusPlugin.get_cli_commands() hands Pyrite: (name, command or Typer app)."""
    return [("events", events_app), ("webhooks", webhooks)]
