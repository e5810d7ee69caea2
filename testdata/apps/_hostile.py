"""Hostile: an app whose names, labels, outputs and errors try to drive the
terminal that prints them: ESC[2J clears the screen, OSC 52 writes the
clipboard, U+202E reverses the text after it, BEL rings.

It is not part of the test bed (its name starts with "_": no steps file, no
golden recording, no driver check); the CLI's tests of what it prints start
it (cli/hostile_test.go).

/shout<OSC 52>(text) -> "<ESC[2J><OSC 52><U+202E>TEXT #n<BEL>"
    n counts the calls since the app started, so a replay differs from its
    recording
/fail<U+202E><ESC[2J>(text) -> gr.Error("<OSC 52>no<ESC[2J>")
"""

import base64
import itertools

import _testbed
import gradio as gr

CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;" + base64.b64encode(b"gradiorec was here").decode() + "\x07"
RLO = "\u202e"
BEL = "\x07"

_calls = itertools.count(1)


def shout(text):
    """Shout the text, wrapped in escape sequences."""
    return f"{CLEAR}{CLIPBOARD}{RLO}{text.upper()} #{next(_calls)}{BEL}"


def fail(text):
    """Fail with a message that holds escape sequences."""
    raise gr.Error(f"{CLIPBOARD}no{CLEAR}")


def build_demo():
    with gr.Blocks(title="Hostile") as demo:
        text = gr.Textbox(label="text" + CLIPBOARD, value="hi", elem_id="text")
        out = gr.Textbox(label=CLEAR + "out" + RLO, elem_id="out")
        gr.Button("Shout", elem_id="shout").click(
            shout, text, out, **_testbed.endpoint("shout" + CLIPBOARD)
        )
        gr.Button("Fail", elem_id="fail").click(
            fail, text, out, **_testbed.endpoint("fail" + RLO + CLEAR)
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
