"""Guestbook: an app meant to be embedded in another site's page, as a
Space's page embeds its app. It greets the visitor when the page loads (a
call nobody clicks for) and keeps the notes signed in this session.

/welcome() -> str                      "Welcome to the guestbook"
                                       (demo.load: runs as the page opens)
/sign(name: str) -> str                "Thanks, <name>: note <n> of this
                                       session" (n counts this session's notes,
                                       kept in a gr.State); a toast says the
                                       same; an empty name is a gr.Error
"""

import _testbed
import gradio as gr

WELCOME = "Welcome to the guestbook"


def welcome():
    """The greeting shown as the page opens."""
    return WELCOME


def sign(name, notes):
    """Add a note signed by ``name`` to the session's notes."""
    if not name.strip():
        raise gr.Error("Write your name first")
    notes = notes + [name]
    message = f"Thanks, {name}: note {len(notes)} of this session"
    gr.Info(message)
    return message, notes


def build_demo():
    with gr.Blocks(title="Guestbook") as demo:
        notes = gr.State([])
        greeting = gr.Textbox(label="greeting")
        name = gr.Textbox(label="name")
        thanks = gr.Textbox(label="thanks")
        gr.Button("Sign").click(
            sign, [name, notes], [thanks, notes], **_testbed.endpoint("sign")
        )
        demo.load(welcome, None, greeting, **_testbed.endpoint("welcome"))
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
