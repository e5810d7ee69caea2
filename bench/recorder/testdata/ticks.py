"""Ticks: a generator that stamps each update, for the recorder's harness.

/ticks(n: int) -> dict   yields {"i": i, "time_ns": time.time_ns()} for
                         i = 0 .. n-1, the stamp taken just before each
                         yield, sleeping 20 ms between yields

The harness measures the delay from each stamp to the update reaching a
recorder's WithOnEvent callback, on a stream that is already open: unlike a
quick call, whose answer waits for the page to open its event stream, the
later ticks go out on the open stream as the server yields them.

It lives here, and not in testdata/apps, because the apps there have golden
recordings; it imports their shared launcher, so run it with PYTHONPATH
pointing at testdata/apps (the harness does). concurrency_limit=None as in
echo.py.
"""

import time

import _testbed
import gradio as gr

INTERVAL = 0.020  # seconds between two ticks


def ticks(n):
    """Yield n stamped ticks, INTERVAL apart."""
    for i in range(int(n)):
        if i:
            time.sleep(INTERVAL)
        yield {"i": i, "time_ns": time.time_ns()}


def build_demo():
    with gr.Blocks(title="Ticks") as demo:
        n = gr.Number(label="n", value=25, precision=0)
        tick = gr.JSON(label="tick")
        gr.Button("Ticks").click(
            ticks, n, tick, concurrency_limit=None, **_testbed.endpoint("ticks")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
