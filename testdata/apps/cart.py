"""A shopping cart in gr.State, emptied by a private endpoint.

/add(item: str) -> str    adds ``item`` to the session's cart; returns
                          "<n> in the cart: <items>" (e.g. "2 in the cart:
                          apple, pear")
Empty (private)           the Empty button's listener: clears the cart and
                          returns "the cart is empty"; gradio_client refuses
                          to call it, so code in Python cannot reproduce what
                          later calls return
/checkout() -> str        "<n> items: <items>", from the cart alone (its only
                          input is the State)

cart_changed.py reuses build_demo() with an /add whose reply is worded
"<n> items: <items>" instead.
"""

import _testbed
import gradio as gr


def cart_text(items):
    """How /add reports the cart."""
    return f"{len(items)} in the cart: {', '.join(items)}"


def build_demo(describe=cart_text):
    def add(item, items):
        items = items + [item]
        return describe(items), items

    def empty(items):
        return "the cart is empty", []

    def checkout(items):
        return f"{len(items)} items: {', '.join(items) or 'none'}"

    with gr.Blocks(title="Cart") as demo:
        items = gr.State([])
        item = gr.Textbox(label="item")
        status = gr.Textbox(label="status")
        receipt = gr.Textbox(label="receipt")
        item.submit(add, [item, items], [status, items], **_testbed.endpoint("add"))
        gr.Button("Empty").click(
            empty, items, [status, items], **_testbed.endpoint("empty", _testbed.PRIVATE)
        )
        gr.Button("Checkout").click(
            checkout, items, receipt, **_testbed.endpoint("checkout")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
