"""Render: components and an event listener that a gr.render function makes
at run time, for the recorder's tests.

Not a test-bed app of the client checks (hence the leading underscore): the
config the page loads lists the render function's own dependency, not the
ones it makes, so the page calls the Join button's listener by an fn_index
no config or /info names.

boxes (Slider)     re-renders that many "part N" textboxes and a Join button
Join               joins the parts with "-" into "joined" (made by gr.render)
/greet(s) -> str   "hello <s>", on a change of "name": a listener of the
                   config, beside the rendered ones
"""

import _testbed
import gradio as gr


def build_demo():
    with gr.Blocks(title="Render") as demo:
        count = gr.Slider(1, 4, value=2, step=1, label="boxes")

        @gr.render(inputs=count)
        def boxes(n):
            parts = [gr.Textbox(label=f"part {i}", value=f"p{i}", interactive=True) for i in range(int(n))]
            joined = gr.Textbox(label="joined")
            gr.Button("Join").click(lambda *xs: "-".join(xs), parts, joined)

        name = gr.Textbox(label="name")
        greeting = gr.Textbox(label="greeting")
        name.change(lambda s: f"hello {s}", name, greeting, **_testbed.endpoint("greet"))
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
