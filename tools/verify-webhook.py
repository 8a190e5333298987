#!/usr/bin/env python3
"""Verify a pyrite-eventbus webhook the way the Standard Webhooks specification says.

As a module (standard library only):

    import importlib.util  # the file name has a hyphen: load it by path
    spec = importlib.util.spec_from_file_location("verify_webhook", "tools/verify-webhook.py")
    verify_webhook = importlib.util.module_from_spec(spec); spec.loader.exec_module(verify_webhook)
    verify_webhook.verify(secret, headers, body)  # raises ValueError with the reason, or None

On the command line (the body comes on stdin, exactly as received):

    verify-webhook.py --secret whsec_... --id ID --timestamp TS --signature 'v1,...' < body.json

Exit status 0 when valid, 1 when not (the reason on stderr), 2 for bad arguments.
"""
import argparse
import base64
import hashlib
import hmac
import sys
import time

TOLERANCE_SECONDS = 5 * 60


def decode_secret(secret):
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    return base64.b64decode(secret, validate=True)


def sign(key, message_id, timestamp, body):
    content = message_id.encode() + b"." + str(timestamp).encode() + b"." + body
    return base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def verify(secret, headers, body, now=None, tolerance=TOLERANCE_SECONDS):
    """headers: a mapping with webhook-id, webhook-timestamp and webhook-signature (any case)."""
    lower = {name.lower(): value for name, value in headers.items()}
    try:
        message_id = lower["webhook-id"]
        timestamp = int(lower["webhook-timestamp"])
        signatures = lower["webhook-signature"]
    except (KeyError, ValueError) as error:
        raise ValueError(f"missing or malformed webhook header: {error}") from None
    now = time.time() if now is None else now
    if timestamp < now - tolerance:
        raise ValueError("timestamp too old (a replay?)")
    if timestamp > now + tolerance:
        raise ValueError("timestamp too far in the future")
    expected = sign(decode_secret(secret), message_id, timestamp, body)
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        # Constant-time comparison: timing says nothing about where a forgery differs.
        if version == "v1" and hmac.compare_digest(signature, expected):
            return
    raise ValueError("no signature matches")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--secret", required=True, help="whsec_... (or set it in a file you read)")
    parser.add_argument("--id", required=True, help="the webhook-id header")
    parser.add_argument("--timestamp", required=True, help="the webhook-timestamp header")
    parser.add_argument("--signature", required=True, help="the webhook-signature header")
    parser.add_argument("--now", type=int, help="check the timestamp against this time (tests)")
    args = parser.parse_args()
    body = sys.stdin.buffer.read()
    headers = {"webhook-id": args.id, "webhook-timestamp": args.timestamp,
               "webhook-signature": args.signature}
    try:
        verify(args.secret, headers, body, now=args.now)
    except ValueError as error:
        print(f"invalid: {error}", file=sys.stderr)
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
