"""Names: endpoints whose api_names a URL must encode, for generated code
(cURL puts the api_name in the URL path).

/odd name #1?&=%(text: str) -> str     "odd: " + text
                                        (space, #, ?, &, = and % in the name)
"""

import _testbed
import gradio as gr

ODD_NAME = "odd name #1?&=%"


def odd(text):
    """Answer through the oddly named endpoint."""
    return "odd: " + text


def build_demo():
    with gr.Blocks(title="Names") as demo:
        text = gr.Textbox(label="text", value="hi")
        out = gr.Textbox(label="out")
        gr.Button("Odd").click(odd, text, out, **_testbed.endpoint(ODD_NAME))
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
