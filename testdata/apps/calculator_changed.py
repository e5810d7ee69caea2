"""Calculator with one behaviour change: multiply returns num1 * num2 + 1.

Same endpoint and schema as calculator.py; a replay of a calculator
recording fails on exactly the multiply calls.
"""

import _testbed
from calculator import build_demo, calculate


def calculate_changed(num1, operation, num2):
    """Like calculator.calculate, except that multiply is off by one."""
    if operation == "multiply":
        return num1 * num2 + 1
    return calculate(num1, operation, num2)


if __name__ == "__main__":
    _testbed.launch(build_demo(calculate_changed))
