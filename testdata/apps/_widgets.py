"""Widgets: one of every input the steps file drives, for package steps' UI tests.

Not a test-bed app of the client checks (hence the leading underscore, which
gradiotest's app listing skips): it exists so that the tests of package steps
can exercise every action and target kind of a steps file on the real UI.

/summarize(...) -> str     every input, one "name=value" per line
/shout(message) -> str     the message upper-cased (the "Message" textbox
                           submits it on Enter)
/slow() -> str             sleeps 1 s, then "slow done"
Two textboxes share the label "Twin" (an ambiguous target); a textbox has
only a placeholder ("Search here"); the summary has elem_id "summary". Two
tabs, "First" and "Second", each hold a textbox.
"""

import os
import time

import _testbed
import gradio as gr


def show(value):
    """A value as the summary shows it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return ",".join(show(v) for v in value)
    if isinstance(value, str) and os.path.sep in value:
        return os.path.basename(value)
    return str(value)


def summarize(text, notes, count, steps, colour, tags, operation, enable,
              letters, picture, document, search):
    """Every input, one per line."""
    names = ["text", "notes", "count", "steps", "colour", "tags", "operation",
             "enable", "letters", "picture", "document", "search"]
    values = [text, notes, count, steps, colour, tags, operation, enable,
              letters, picture, document, search]
    return "\n".join(f"{n}={show(v)}" for n, v in zip(names, values))


def shout(message):
    """The message, upper-cased."""
    return message.upper()


def slow():
    """Take a second."""
    time.sleep(1)
    return "slow done"


def build_demo():
    with gr.Blocks(title="Widgets") as demo:
        with gr.Row():
            text = gr.Textbox(label="Input text", placeholder="Type here",
                              elem_id="main-text")
            notes = gr.Textbox(label="Notes", lines=3)
            search = gr.Textbox(show_label=False, placeholder="Search here")
        with gr.Row():
            count = gr.Number(label="Count", value=1, precision=0)
            steps = gr.Slider(0, 10, value=2, step=1, label="Steps")
        with gr.Row():
            colour = gr.Dropdown(["red", "green", "blue"], value="red",
                                 label="Colour")
            tags = gr.Dropdown(["x", "y", "z"], value=[], multiselect=True,
                               label="Tags")
            operation = gr.Radio(["add", "subtract"], value="add",
                                 label="Operation")
        with gr.Row():
            enable = gr.Checkbox(label="Enable", value=False)
            letters = gr.CheckboxGroup(["a", "b", "c"], label="Letters")
        with gr.Row():
            picture = gr.Image(label="Picture", type="filepath")
            document = gr.File(label="Document", type="filepath")
        summary = gr.Textbox(label="Summary", elem_id="summary", lines=12)
        gr.Button("Summarize").click(
            summarize,
            [text, notes, count, steps, colour, tags, operation, enable,
             letters, picture, document, search],
            summary,
            **_testbed.endpoint("summarize"),
        )
        with gr.Row():
            message = gr.Textbox(label="Message")
            shouted = gr.Textbox(label="Shouted")
        message.submit(shout, message, shouted, **_testbed.endpoint("shout"))
        with gr.Row():
            gr.Textbox(label="Twin")
            gr.Textbox(label="Twin")
        with gr.Row():
            slow_out = gr.Textbox(label="Slow result")
            gr.Button("Slow").click(slow, None, slow_out,
                                    **_testbed.endpoint("slow"))
        with gr.Tabs():
            with gr.Tab("First"):
                gr.Textbox(label="In the first tab")
            with gr.Tab("Second"):
                gr.Textbox(label="In the second tab")
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
