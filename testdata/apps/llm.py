"""LLM-like: streamed replies whose chunks vary, for replay stream matchers.

/chat(message: str) -> str     streams a sampled reply: "<message>? " and
                               random words (random.SystemRandom, seeded by
                               nothing), in 2 to 9 updates; the reply, its
                               chunks and their number vary on every call
/answer(question: str) -> str  streams the fixed reply
                               "Answer to <question>: 42." cut into 2 to 9
                               random chunks; only the updates vary
Each update is the reply so far. llm_changed.py reuses build_demo() with an
answer whose final reply changed.
"""

import random
import time

import _testbed
import gradio as gr

STEP_SECONDS = 0.005
WORDS = ["maybe", "surely", "perhaps", "indeed", "never", "often", "soon"]
_random = random.SystemRandom()


def stream_in_chunks(reply):
    """Yield reply so far, cut at 1 to 8 random places."""
    cuts = sorted(_random.sample(range(1, len(reply)), _random.randint(1, 8)))
    for end in [*cuts, len(reply)]:
        time.sleep(STEP_SECONDS)
        yield reply[:end]


def chat(message):
    """A sampled reply, streamed."""
    words = [_random.choice(WORDS) for _ in range(_random.randint(3, 9))]
    yield from stream_in_chunks(f"{message}? " + " ".join(words))


def answer_text(question):
    """The final reply of /answer."""
    return f"Answer to {question}: 42."


def answer(question, text=answer_text):
    """A fixed reply, streamed in random chunks."""
    yield from stream_in_chunks(text(question))


def build_demo(answer_fn=answer):
    with gr.Blocks(title="LLM") as demo:
        message = gr.Textbox(label="message", value="hello")
        reply = gr.Textbox(label="reply")
        gr.Button("Chat").click(chat, message, reply, **_testbed.endpoint("chat"))
        question = gr.Textbox(label="question", value="life")
        response = gr.Textbox(label="response")
        gr.Button("Answer").click(
            answer_fn, question, response, **_testbed.endpoint("answer")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
