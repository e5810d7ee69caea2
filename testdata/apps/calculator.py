"""Calculator: a gr.Interface with one endpoint.

/calculate(num1: float, operation: "add"|"subtract"|"multiply"|"divide",
           num2: float) -> float
Dividing by zero raises gr.Error("Cannot divide by zero!").

calculator_changed.py and calculator_renamed.py reuse build_demo() with a
different function.
"""

import operator

import _testbed
import gradio as gr

OPERATIONS = {
    "add": operator.add,
    "subtract": operator.sub,
    "multiply": operator.mul,
    "divide": operator.truediv,
}


def calculate(num1, operation, num2):
    """Apply ``operation`` to the two numbers."""
    if operation == "divide" and num2 == 0:
        raise gr.Error("Cannot divide by zero!")
    return OPERATIONS[operation](num1, num2)


def build_demo(fn=calculate, num2_label="num2"):
    """The calculator Interface around fn(num1, operation, <num2_label>)."""
    return _testbed.interface(
        fn,
        inputs=[
            gr.Number(label="num1", value=3),
            gr.Radio(list(OPERATIONS), label="operation", value="add"),
            gr.Number(label=num2_label, value=4),
        ],
        outputs=gr.Number(label="result"),
        name="calculate",
        title="Calculator",
    )


if __name__ == "__main__":
    _testbed.launch(build_demo())
