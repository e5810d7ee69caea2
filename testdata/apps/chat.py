"""Chat: a gr.ChatInterface with a deterministic streaming echo bot.

/chat(message: str) -> str
    streams the reply "You said: <message>" word by word: for "hi there"
    the updates are "You", "You said:", "You said: hi", "You said: hi there".
The reply does not depend on the history.
"""

import time

import _testbed

STEP_SECONDS = 0.02


def echo_bot(message, history):
    """Stream "You said: <message>", one more word per update."""
    words = f"You said: {message}".split(" ")
    for end in range(1, len(words) + 1):
        time.sleep(STEP_SECONDS)
        yield " ".join(words[:end])


def build_demo():
    return _testbed.chat_interface(echo_bot, title="Echo chat")


if __name__ == "__main__":
    _testbed.launch(build_demo())
