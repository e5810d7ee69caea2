"""Event data: two buttons behind one gr.on listener that says which fired.

/which(text: str) -> str   returns "<trigger's class> <its value>: <text>",
                           e.g. "Button First: hi", read from gr.EventData

The output depends on the trigger_id the page sends, which gradio_client
cannot send (it gets "NoneType None: hi", and fails for the text "strict",
as a handler that needs the event does): the recording keeps the
endpoint's collects_event_data and the call's trigger_id, and generated code
sends them where the client can. eventdata_changed.py reuses build_demo()
with the reply worded "<class> <value> -> <text>".
"""

import _testbed
import gradio as gr


def reply(trigger, text):
    """How /which words its reply."""
    return f"{trigger}: {text}"


def build_demo(word=reply):
    def which(text, evt: gr.EventData):
        """Name the component whose event fired."""
        target = evt.target
        if target is None and text == "strict":
            # As most event handlers do (a gr.SelectData handler reads
            # evt.index), fail when called without the event.
            raise ValueError("called without its event")
        return word(f"{type(target).__name__} {getattr(target, 'value', None)}", text)

    with gr.Blocks(title="Event data") as demo:
        text = gr.Textbox(label="text", value="hi")
        with gr.Row():
            first = gr.Button("First")
            second = gr.Button("Second")
        result = gr.Textbox(label="result")
        gr.on([first.click, second.click], which, text, result, **_testbed.endpoint("which"))
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
