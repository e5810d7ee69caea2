"""Calculator with schema drift: the parameter num2 is renamed to second.

Same results as calculator.py; only the parameter name (and the label of
its component) changed: /calculate(num1, operation, second).
"""

import _testbed
from calculator import build_demo, calculate


def calculate_renamed(num1, operation, second):
    """calculator.calculate with its last parameter renamed."""
    return calculate(num1, operation, second)


if __name__ == "__main__":
    _testbed.launch(build_demo(calculate_renamed, num2_label="second"))
