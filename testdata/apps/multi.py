"""Multi: one Blocks app with every kind of endpoint.

api_name      visibility    kind                  inputs -> outputs
/greet        public        click                 name -> greeting
/shout        undocumented  click                 name -> greeting
(whisper)     private       click                 name -> greeting
/add_ints     public        gr.api (typed fn)     a: int, b: int -> int
/step_one     public        click, then ...       chain_input -> first
/step_two     public        ... .then(step_two)   first -> second
js_fn         private       js only (fn=None)     name -> greeting
/length       public        click, queue=False    name -> length

See README.md for the per-version names of the private endpoints.
"""

import _testbed
import gradio as gr
from _testbed import PRIVATE, UNDOCUMENTED

REVERSE_JS = "(text) => text.split('').reverse().join('')"


def greet(name):
    """Say hello."""
    return f"Hello, {name}!"


def shout(name):
    """Say the name loudly."""
    return f"{name.upper()}!"


def whisper(name):
    """Say the name quietly (private: the UI can call it, clients cannot)."""
    return f"{name.lower()}..."


def add_ints(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def step_one(text):
    """First step of the chain."""
    return f"{text} -> one"


def step_two(text):
    """Second step of the chain; runs after step_one in the UI."""
    return f"{text} -> two"


def length(name):
    """Length of the name, answered outside the queue."""
    return len(name)


def build_demo():
    with gr.Blocks(title="Multi") as demo:
        name = gr.Textbox(label="name", value="World")
        greeting = gr.Textbox(label="greeting")
        with gr.Row():
            gr.Button("Greet").click(
                greet, name, greeting, **_testbed.endpoint("greet")
            )
            gr.Button("Shout").click(
                shout,
                name,
                greeting,
                **_testbed.endpoint("shout", UNDOCUMENTED),
            )
            gr.Button("Whisper").click(
                whisper,
                name,
                greeting,
                **_testbed.endpoint("whisper", PRIVATE),
            )
            gr.Button("Reverse in browser").click(
                None, name, greeting, js=REVERSE_JS
            )
        _testbed.api(add_ints, "add_ints")
        with gr.Row():
            chain_input = gr.Textbox(label="chain_input", value="start")
            first = gr.Textbox(label="first")
            second = gr.Textbox(label="second")
        gr.Button("Run chain").click(
            step_one, chain_input, first, **_testbed.endpoint("step_one")
        ).then(step_two, first, second, **_testbed.endpoint("step_two"))
        name_length = gr.Number(label="length", precision=0)
        gr.Button("Length").click(
            length,
            name,
            name_length,
            queue=False,
            **_testbed.endpoint("length"),
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
