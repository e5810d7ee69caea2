"""LLM with one deterministic change: /answer's final reply says 43.

Same endpoints and schema as llm.py; /chat is as random as there.
"""

import _testbed
from llm import answer, answer_text, build_demo


def answer_changed(question):
    """llm.answer with the final reply off by one."""
    yield from answer(question, lambda q: answer_text(q).replace("42", "43"))


if __name__ == "__main__":
    _testbed.launch(build_demo(answer_changed))
