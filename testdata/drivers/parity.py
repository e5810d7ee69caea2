"""Run calls with the official Python client and print what it returns.

    python parity.py <url> <cases.json> <app>

The cases file (testdata/parity/cases.json) lists, per app, sessions of calls;
the Go client's parity test runs the same calls and compares. One client per
session, so gr.State carries over. Output: one JSON document on stdout,

    {"sessions": [[<outcome>, ...], ...]}

where an outcome is {"outputs": [...]} (always a list, one entry per output),
{"outputs": [...], "updates": [[...], ...]} for streamed calls,
{"error": "<message>"} or {"cancelled": true}. File outputs become
{"file": {"sha256": "<hex>"}}.

Values in a case's args: {"$file": "<path relative to the repository>"} is a
file input (handle_file).
"""

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from gradio_client import Client, handle_file
from gradio_client.utils import Status

ROOT = Path(__file__).resolve().parents[2]
DOWNLOADS = Path(tempfile.mkdtemp(prefix="parity-"))


def inputs(value):
    """Turn a case's JSON value into what the Python client takes."""
    if isinstance(value, dict):
        if set(value) == {"$file"}:
            return handle_file(str(ROOT / value["$file"]))
        return {k: inputs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [inputs(v) for v in value]
    return value


def normalise(value):
    """Make an output comparable: downloaded files become their hash."""
    if isinstance(value, str) and value.startswith(str(DOWNLOADS)) and os.path.isfile(value):
        return {"file": {"sha256": hashlib.sha256(Path(value).read_bytes()).hexdigest()}}
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return value


def as_outputs(result):
    """The client returns one output bare and several as a tuple."""
    return normalise(list(result) if isinstance(result, tuple) else [result])


def call(client, case):
    args = inputs(case.get("args", []))
    kwargs = inputs(case.get("kwargs", {}))
    job = client.submit(*args, api_name=case["endpoint"], **kwargs)
    cancel = case.get("cancel")
    if cancel == "running":
        while not job.outputs():
            if job.done():
                break
            time.sleep(0.01)
        job.cancel()
    elif cancel == "queued":
        job.cancel()
    try:
        result = job.result()
    except Exception as e:  # AppError, or CancelledError after a cancel
        if cancel:
            return {"cancelled": True}
        return {"error": str(e)}
    if cancel:
        if job.status().code == Status.CANCELLED:
            return {"cancelled": True}
        return {"not_cancelled": str(job.status().code), "outputs": as_outputs(result)}
    outcome = {"outputs": as_outputs(result)}
    if case.get("stream"):
        outcome["updates"] = [as_outputs(o) for o in job.outputs()]
    return outcome


def main():
    url, cases_file, app = sys.argv[1:4]
    spec = json.loads(Path(cases_file).read_text())[app]
    auth = tuple(spec["auth"]) if "auth" in spec else None
    sessions = []
    for session in spec["sessions"]:
        client = Client(url, auth=auth, download_files=str(DOWNLOADS), verbose=False)
        # Another session's call keeps the worker busy for "queued" cases.
        # (A call of the same session would not do: Gradio's cancel stops
        # every running call of the endpoint in the session.)
        other = Client(url, auth=auth, download_files=str(DOWNLOADS), verbose=False)
        blocker = None
        outcomes = []
        for case in session:
            if case.get("cancel") == "queued":
                # Keep the single worker busy so the case's call waits in the queue.
                blocker = other.submit(*inputs(case.get("args", [])), api_name=case["endpoint"])
                time.sleep(0.3)
            outcomes.append(call(client, case))
            if blocker is not None:
                blocker.result()
                blocker = None
        sessions.append(outcomes)
        client.close()
        other.close()
    json.dump({"sessions": sessions}, sys.stdout)


if __name__ == "__main__":
    main()
