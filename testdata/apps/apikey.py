"""API key: an endpoint that takes an API key and a PIN, for generated code
that reads recorded secrets from the environment. (Not secrets.py: that name
would hide the standard library's secrets module.)

/greet(name: str, api_key: str, pin: str) -> (greeting: str, digest: str, pin: str)
    greeting  f"Hello {name}, your key is {api_key} ({len(api_key)} characters)"
              (echoes the key, so outputs hold the secret)
    digest    the first 12 hex digits of sha256(api_key + pin)
              (a value computed from the secrets)
    pin       the PIN itself
An empty name raises gr.Error(f"No name given for key {api_key}").

The key is a password Textbox labelled "API key", the PIN one labelled "PIN":
a recorder keeps both out of recordings as <redacted:API_KEY> and
<redacted:PIN>.
"""

import hashlib

import _testbed
import gradio as gr


def greet(name, api_key, pin):
    """Greet with the key; the digest depends on both secrets."""
    if not name:
        raise gr.Error(f"No name given for key {api_key}")
    greeting = f"Hello {name}, your key is {api_key} ({len(api_key)} characters)"
    digest = hashlib.sha256((api_key + pin).encode()).hexdigest()[:12]
    return greeting, digest, pin


def build_demo():
    with gr.Blocks(title="API key") as demo:
        name = gr.Textbox(label="name", value="Ada")
        api_key = gr.Textbox(label="API key", type="password")
        pin = gr.Textbox(label="PIN", type="password")
        greeting = gr.Textbox(label="greeting")
        digest = gr.Textbox(label="digest")
        pin_out = gr.Textbox(label="pin")
        gr.Button("Greet").click(
            greet,
            [name, api_key, pin],
            [greeting, digest, pin_out],
            **_testbed.endpoint("greet"),
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
