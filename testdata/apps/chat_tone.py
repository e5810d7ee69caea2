"""Chat with an additional input: a gr.ChatInterface whose reply depends on a tone.

/chat(message: str, tone: "plain" | "loud") -> str
    replies "You said: <message>", or with tone "loud" the same in capitals
    with "!" ("YOU SAID: HI THERE!"); not streamed. The tone is a radio in an
    open "Tone" accordion below the chat (ChatInterface's additional_inputs).
"""

import _testbed
import gradio as gr


def reply(message, history, tone):
    """Echo the message in the chosen tone."""
    text = f"You said: {message}"
    return text.upper() + "!" if tone == "loud" else text


def build_demo():
    return _testbed.chat_interface(
        reply,
        title="Tone chat",
        additional_inputs=[gr.Radio(["plain", "loud"], value="plain", label="tone")],
        additional_inputs_accordion=gr.Accordion("Tone", open=True),
    )


if __name__ == "__main__":
    _testbed.launch(build_demo())
