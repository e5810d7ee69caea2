"""Echo: minimal endpoints for benchmarks.

/echo(text: str) -> str          the text unchanged
/burst(n: int) -> int            generator yielding 1, 2, ... n with no delay
/stamp(tag: str) -> dict         {"tag": tag, "time_ns": time.time_ns()}
                                 taken just before returning (the only
                                 non-deterministic value; benchmarks use it
                                 to measure delivery delay)

All three have concurrency_limit=None so concurrent benchmark clients are
not serialised by the server's default limit of 1.
"""

import time

import _testbed
import gradio as gr


def echo(text):
    """Return the text unchanged."""
    return text


def burst(n):
    """Yield 1..n as fast as possible."""
    yield from range(1, int(n) + 1)


def stamp(tag):
    """The server's clock at the moment of returning."""
    return {"tag": tag, "time_ns": time.time_ns()}


def build_demo():
    unlimited = {"concurrency_limit": None}
    with gr.Blocks(title="Echo") as demo:
        text = gr.Textbox(label="text", value="ping")
        echoed = gr.Textbox(label="echoed")
        gr.Button("Echo").click(
            echo, text, echoed, **unlimited, **_testbed.endpoint("echo")
        )
        n = gr.Number(label="n", value=10, precision=0)
        counter = gr.Number(label="counter", precision=0)
        gr.Button("Burst").click(
            burst, n, counter, **unlimited, **_testbed.endpoint("burst")
        )
        tag = gr.Textbox(label="tag", value="t1")
        stamped = gr.JSON(label="stamp")
        gr.Button("Stamp").click(
            stamp, tag, stamped, **unlimited, **_testbed.endpoint("stamp")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
