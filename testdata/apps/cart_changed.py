"""cart.py with /add's reply worded "<n> items: <items>": its changed twin."""

import _testbed
from cart import build_demo


def changed_text(items):
    """The changed wording."""
    return f"{len(items)} items: {', '.join(items)}"


if __name__ == "__main__":
    _testbed.launch(build_demo(changed_text))
