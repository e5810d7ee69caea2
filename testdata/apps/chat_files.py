"""Multimodal chat: a gr.ChatInterface(multimodal=True) that reads the files sent.

/chat(message: {"text": str, "files": [file]}) -> str
    replies "Reply <n>: <text>", where n counts the bot's replies so far in
    the history (so it proves the history carries over), followed by one
    " | <name>: <size> bytes, sha256 <first 8 hex>" per file sent with the
    message: "Reply 1: what is this? | sample.txt: 56 bytes, sha256 0123abcd".
    The page keeps the history as messages; 4.44's API keeps it as pairs.
"""

import hashlib
import os

import _testbed


def _path(f):
    """A file of the message: a path on 4.x-6.x, a dict with "path" on some."""
    return f["path"] if isinstance(f, dict) else f


def describe(message, history):
    """Number the reply and describe each file of the message."""
    n = sum(1 for m in history if _is_reply(m)) + 1
    parts = [f"Reply {n}: {message.get('text', '')}"]
    for f in message.get("files") or []:
        path = _path(f)
        with open(path, "rb") as fh:
            data = fh.read()
        digest = hashlib.sha256(data).hexdigest()[:8]
        parts.append(f"{os.path.basename(path)}: {len(data)} bytes, sha256 {digest}")
    return " | ".join(parts)


def _is_reply(m):
    """Whether a history entry is (or holds) a reply of the bot: a message
    dict with role "assistant", or a [user, bot] pair, which is what Gradio
    4.44 keeps in the history of its API endpoint even with type="messages".
    """
    if isinstance(m, dict):
        return m.get("role") == "assistant"
    return isinstance(m, (list, tuple)) and len(m) == 2 and m[1] is not None


def build_demo():
    return _testbed.chat_interface(describe, title="File chat", multimodal=True)


if __name__ == "__main__":
    _testbed.launch(build_demo())
