"""Slow: queueing, concurrency limits and cancellation.

/wait(label: str) -> str
    sleeps GRADIOREC_SLOW_SECONDS (default 1.0) and returns
    "done: <label>"; concurrency_limit=1 (GRADIOREC_SLOW_CONCURRENCY sets
    another), so concurrent calls wait in the queue (estimation messages
    with rank > 0)
/ticker(prefix: str) -> str
    generator yielding "<prefix> 1", "<prefix> 2", ... every 0.1 s, up to
    MAX_TICKS (1000); the Stop button cancels it (cancels=[...])
"""

import time

import _testbed
import gradio as gr

MAX_TICKS = 1000
TICK_SECONDS = 0.1


def wait(label):
    """Sleep, then report which call finished."""
    time.sleep(_testbed.env_float("GRADIOREC_SLOW_SECONDS", 1.0))
    return f"done: {label}"


def ticker(prefix):
    """Tick (nearly) forever until cancelled."""
    for tick in range(1, MAX_TICKS + 1):
        yield f"{prefix} {tick}"
        time.sleep(TICK_SECONDS)


def build_demo():
    with gr.Blocks(title="Slow") as demo:
        with gr.Row():
            label = gr.Textbox(label="label", value="job")
            result = gr.Textbox(label="result")
            gr.Button("Wait").click(
                wait,
                label,
                result,
                concurrency_limit=int(_testbed.env_float("GRADIOREC_SLOW_CONCURRENCY", 1)),
                **_testbed.endpoint("wait"),
            )
        with gr.Row():
            prefix = gr.Textbox(label="prefix", value="tick")
            ticks = gr.Textbox(label="ticks")
            start = gr.Button("Start ticker").click(
                ticker, prefix, ticks, **_testbed.endpoint("ticker")
            )
            gr.Button("Stop").click(None, None, None, cancels=[start])
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
