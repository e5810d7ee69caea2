"""Noisy with one deterministic change: "words" is len(text.split()) + 1.

Same endpoint and schema as noisy.py.
"""

import _testbed
from noisy import build_demo, report


def report_changed(text):
    """noisy.report with the "words" field off by one."""
    result = report(text)
    result["words"] += 1
    return result


if __name__ == "__main__":
    _testbed.launch(build_demo(report_changed))
