"""Run a Python snippet of Gradio's API Recorder, unchanged, keeping what
each Client.predict it makes returns.

usage: python measure.py SNIPPET.py RESULTS.json

The snippet runs as __main__; its exit status is this script's. RESULTS.json
gets the results in call order, as JSON: tuples as lists, and a returned
path of a file (gradio_client downloads file outputs) as {"sha256": ...} of
the file's bytes, so that they compare with the recording's files.
"""

import hashlib
import json
import os
import runpy
import sys

import gradio_client

results = []
_predict = gradio_client.Client.predict


def predict(self, *args, **kwargs):
    out = _predict(self, *args, **kwargs)
    results.append(out)
    return out


gradio_client.Client.predict = predict


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, str) and os.path.isabs(v) and os.path.isfile(v):
        with open(v, "rb") as f:
            return {"sha256": hashlib.sha256(f.read()).hexdigest()}
    return v


try:
    runpy.run_path(sys.argv[1], run_name="__main__")
finally:
    with open(sys.argv[2], "w") as f:
        json.dump([plain(r) for r in results], f, default=repr)
