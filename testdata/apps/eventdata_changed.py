"""eventdata.py with /which's reply worded "<class> <value> -> <text>"."""

import _testbed
from eventdata import build_demo


def changed_reply(trigger, text):
    """The changed wording."""
    return f"{trigger} -> {text}"


if __name__ == "__main__":
    _testbed.launch(build_demo(changed_reply))
