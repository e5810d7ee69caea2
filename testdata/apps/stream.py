"""Streaming: generators, progress and log messages.

/grow(text: str) -> str        yields text[:1], text[:2], ... text
                               (each update is an "append" diff)
/count(n: int) -> int          yields 1, 2, ... n
/progress(steps: int) -> str   reports progress (i, steps) for each step,
                               logs gr.Info("Starting <steps> steps") and
                               gr.Warning("Almost done"), returns
                               "Finished <steps> steps"
Generator steps sleep STEP_SECONDS so updates arrive as separate messages.
Progress steps sleep PROGRESS_STEP_SECONDS: Gradio samples progress only
every 0.1 s, so the number of progress messages depends on timing (the
log messages and the result do not).
"""

import time

import _testbed
import gradio as gr

STEP_SECONDS = 0.02
PROGRESS_STEP_SECONDS = 0.15


def grow(text):
    """Yield the text one character longer each time."""
    for end in range(1, len(text) + 1):
        time.sleep(STEP_SECONDS)
        yield text[:end]


def count(n):
    """Yield 1, 2, ... n."""
    for value in range(1, int(n) + 1):
        time.sleep(STEP_SECONDS)
        yield value


def progress(steps, tracker=gr.Progress()):
    """Work through ``steps`` steps, reporting progress and log messages."""
    steps = int(steps)
    gr.Info(f"Starting {steps} steps")
    for done in range(steps):
        tracker((done, steps), desc="Working", unit="steps")
        time.sleep(PROGRESS_STEP_SECONDS)
    gr.Warning("Almost done")
    return f"Finished {steps} steps"


def build_demo():
    with gr.Blocks(title="Streaming") as demo:
        with gr.Row():
            text = gr.Textbox(label="text", value="stream me")
            grown = gr.Textbox(label="grown")
            gr.Button("Grow").click(
                grow, text, grown, **_testbed.endpoint("grow")
            )
        with gr.Row():
            n = gr.Number(label="n", value=5, precision=0)
            counter = gr.Number(label="counter", precision=0)
            gr.Button("Count").click(
                count, n, counter, **_testbed.endpoint("count")
            )
        with gr.Row():
            steps = gr.Number(label="steps", value=4, precision=0)
            status = gr.Textbox(label="status")
            gr.Button("Run with progress").click(
                progress, steps, status, **_testbed.endpoint("progress")
            )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
