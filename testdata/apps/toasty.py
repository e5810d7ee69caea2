"""Toasts over a button: notifications that cover the next thing to click.

/notify() -> str       raises gr.Info twice and gr.Warning once (the last
                       stays until closed: duration=None), returns "notified"
/next(n: int) -> str   returns "next <n>"

Notify sits at the left of the top row and Next at its right, where every
Gradio version stacks its toasts (top right, fixed): after Notify, the toasts
cover Next. A steps file that clicks Next must get past them (gradiorec closes
the toasts that cover its target).
"""

import _testbed
import gradio as gr


def notify():
    """Raise three toasts, one of them until closed, and say so."""
    gr.Info("First note")
    gr.Info("Second note")
    gr.Warning("A warning that stays", duration=None)
    return "notified"


def next_one(n):
    """Say which call this is."""
    return f"next {int(n)}"


def build_demo():
    with gr.Blocks(title="Toasts") as demo:
        with gr.Row():
            notify_btn = gr.Button("Notify")
            gr.Markdown("Toasts stack at the top right, over **Next**.")
            next_btn = gr.Button("Next")
        with gr.Row():
            n = gr.Number(label="n", value=1, precision=0)
            notes = gr.Textbox(label="notes")
            result = gr.Textbox(label="result")
        notify_btn.click(notify, None, notes, **_testbed.endpoint("notify"))
        next_btn.click(next_one, n, result, **_testbed.endpoint("next"))
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
