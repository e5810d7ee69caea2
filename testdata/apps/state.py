"""Session state: the word counter from Gradio's client guide.

A gr.State([]) holds the words submitted in this session (one per browser
tab or gradio_client.Client); other sessions do not see them.

/count_words(word: str) -> (count: int, words: str)
    appends ``word`` to the session's list; returns the number of words so
    far and the words joined by spaces
/list_words() -> list[str]
    the session's words (an endpoint with no parameters: its only input is
    the State)

state_changed.py reuses build_demo() with the words joined by commas: only
the calls that read a State an earlier call changed differ.
"""

import _testbed
import gradio as gr


def list_words(words):
    """The words submitted in this session."""
    return words


def build_demo(separator=" "):
    def count_words(word, words):
        """Add ``word`` to the session's words; report the words so far."""
        words = words + [word]
        return len(words), separator.join(words), words

    with gr.Blocks(title="Word counter") as demo:
        words = gr.State([])
        word = gr.Textbox(label="word")
        count = gr.Number(label="count", precision=0)
        joined = gr.Textbox(label="words")
        listed = gr.JSON(label="word_list")
        word.submit(
            count_words,
            inputs=[word, words],
            outputs=[count, joined, words],
            **_testbed.endpoint("count_words"),
        )
        gr.Button("List words").click(
            list_words, words, listed, **_testbed.endpoint("list_words")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
