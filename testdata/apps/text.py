"""Text analysis: one Textbox in, three outputs of different types.

/analyze(text: str) -> (reversed: str, word_count: int, summary: dict)
  reversed    the text reversed character by character
  word_count  len(text.split())
  summary     {"length": len(text), "upper": text.upper(),
               "words": text.split()}
Triggered by the Analyze button and by pressing Enter in the textbox.
"""

import _testbed
import gradio as gr


def analyze(text):
    """Reverse the text, count its words and summarise it."""
    words = text.split()
    summary = {"length": len(text), "upper": text.upper(), "words": words}
    return text[::-1], len(words), summary


def build_demo():
    with gr.Blocks(title="Text analysis") as demo:
        text = gr.Textbox(label="text", value="Hello gradio world")
        button = gr.Button("Analyze")
        reversed_text = gr.Textbox(label="reversed")
        word_count = gr.Number(label="word_count", precision=0)
        summary = gr.JSON(label="summary")
        gr.on(
            [button.click, text.submit],
            analyze,
            inputs=text,
            outputs=[reversed_text, word_count, summary],
            **_testbed.endpoint("analyze"),
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
