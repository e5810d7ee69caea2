"""Auth: an app behind Gradio's password login.

Credentials come from GRADIOREC_AUTH_USER / GRADIOREC_AUTH_PASSWORD
(defaults "admin" / "s3cret-pass").

/greet(name: str) -> str    "Hello, <name>!"
"""

import os

import _testbed
import gradio as gr

DEFAULT_USER = "admin"
DEFAULT_PASSWORD = "s3cret-pass"


def credentials():
    """The (user, password) pair the app accepts."""
    return (
        os.environ.get("GRADIOREC_AUTH_USER") or DEFAULT_USER,
        os.environ.get("GRADIOREC_AUTH_PASSWORD") or DEFAULT_PASSWORD,
    )


def greet(name):
    """Say hello."""
    return f"Hello, {name}!"


def build_demo():
    with gr.Blocks(title="Auth") as demo:
        name = gr.Textbox(label="name", value="World")
        greeting = gr.Textbox(label="greeting")
        gr.Button("Greet").click(
            greet, name, greeting, **_testbed.endpoint("greet")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo(), auth=credentials())
