"""Noisy: deterministic fields plus noise, for replay noise masks.

/report(text: str) -> dict
    {"text": text, "length": len(text), "words": len(text.split()),
     "timestamp": <time.time()>, "nonce": <random 16-hex-digit string>}
Only "timestamp" and "nonce" vary between runs. noisy_changed.py reuses
build_demo() with a report whose "words" field is off by one.
"""

import secrets
import time

import _testbed
import gradio as gr


def deterministic_fields(text):
    """The part of the report that depends only on the input."""
    return {"text": text, "length": len(text), "words": len(text.split())}


def noise_fields():
    """The part of the report that changes on every call."""
    return {"timestamp": time.time(), "nonce": secrets.token_hex(8)}


def report(text):
    """Deterministic fields plus noise."""
    return {**deterministic_fields(text), **noise_fields()}


def build_demo(fn=report):
    with gr.Blocks(title="Noisy") as demo:
        text = gr.Textbox(label="text", value="make some noise")
        result = gr.JSON(label="report")
        gr.Button("Report").click(
            fn, text, result, **_testbed.endpoint("report")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
