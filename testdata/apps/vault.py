"""Vault: secrets typed into an app behind a login, and echoed back.

Credentials come from GRADIOREC_VAULT_USER / GRADIOREC_VAULT_PASSWORD
(defaults "ada" / "Hello": a short password that is also an ordinary word);
GRADIOREC_VAULT_OPEN=1 serves it without a login.

/greet(name: str) -> str               "Hello, <name>!"
/unlock(word: str, name: str) -> str
    word is a gr.Textbox(type="password") labelled "Magic word" (nothing
    in its name or label says secret: only its type does):
    "<name> unlocked the vault with <word>"
/check_key(api_key: str) -> str        "key <api_key> accepted"
/cookies() -> str                      the request's cookies as a Python
                                       dict (the login cookie included)
"""

import os

import _testbed
import gradio as gr

DEFAULT_USER = "ada"
DEFAULT_PASSWORD = "Hello"


def credentials():
    """The (user, password) pair the app accepts."""
    return (
        os.environ.get("GRADIOREC_VAULT_USER") or DEFAULT_USER,
        os.environ.get("GRADIOREC_VAULT_PASSWORD") or DEFAULT_PASSWORD,
    )


def greet(name):
    """Say hello."""
    return f"Hello, {name}!"


def unlock(word, name):
    """Repeat the magic word, as careless apps do."""
    return f"{name} unlocked the vault with {word}"


def check_key(api_key):
    """Repeat the key."""
    return f"key {api_key} accepted"


def cookies(request: gr.Request):
    """Echo the request's cookies, login cookie included."""
    return str(dict(request.cookies))


def build_demo():
    with gr.Blocks(title="Vault") as demo:
        name = gr.Textbox(label="name", value="World")
        greeting = gr.Textbox(label="greeting")
        gr.Button("Greet").click(greet, name, greeting, **_testbed.endpoint("greet"))

        word = gr.Textbox(label="Magic word", type="password")
        unlocked = gr.Textbox(label="unlocked")
        gr.Button("Unlock").click(
            unlock, [word, name], unlocked, **_testbed.endpoint("unlock")
        )

        api_key = gr.Textbox(label="API key")
        accepted = gr.Textbox(label="accepted")
        gr.Button("Check key").click(
            check_key, api_key, accepted, **_testbed.endpoint("check_key")
        )

        jar = gr.Textbox(label="cookies")
        gr.Button("Cookies").click(cookies, None, jar, **_testbed.endpoint("cookies"))
    return demo


if __name__ == "__main__":
    if os.environ.get("GRADIOREC_VAULT_OPEN") == "1":
        _testbed.launch(build_demo())
    else:
        _testbed.launch(build_demo(), auth=credentials())
