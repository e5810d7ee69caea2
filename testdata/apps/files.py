"""Files: an image transform and a file report, both byte-deterministic.

/mirror(image: filepath) -> filepath
    the image flipped left-right, converted to RGB and saved as PNG, named
    "mirrored.png"
/stats(file: filepath) -> filepath
    a text report "<stem>.stats.txt" about the uploaded file:
        name: <file name>
        bytes: <size>
        sha256: <hex digest>
        lines: <number of newline characters>

Outputs are written by _testbed.write_output to content-addressed paths, so
identical inputs give identical output bytes and file names.
Fixtures: fixtures/pattern.png (16x8 RGB) and fixtures/sample.txt.
"""

import hashlib
import io
from pathlib import Path

import _testbed
import gradio as gr
from PIL import Image, ImageOps


def mirror(image):
    """Flip the image (a file path) left-right; return the path of a PNG."""
    with Image.open(image) as opened:
        mirrored = ImageOps.mirror(opened.convert("RGB"))
    buffer = io.BytesIO()
    mirrored.save(buffer, format="PNG")
    return _testbed.write_output("mirrored.png", buffer.getvalue())


def stats(file):
    """Write a small text report about the file (a path); return its path."""
    path = Path(file)
    data = path.read_bytes()
    lines = data.count(b"\n")
    report = (
        f"name: {path.name}\n"
        f"bytes: {len(data)}\n"
        f"sha256: {hashlib.sha256(data).hexdigest()}\n"
        f"lines: {lines}\n"
    )
    return _testbed.write_output(f"{path.stem}.stats.txt", report.encode())


def build_demo():
    with gr.Blocks(title="Files") as demo:
        with gr.Row():
            image = gr.Image(label="image", type="filepath")
            mirrored = gr.Image(label="mirrored", type="filepath")
        gr.Button("Mirror").click(
            mirror, image, mirrored, **_testbed.endpoint("mirror")
        )
        with gr.Row():
            upload = gr.File(label="file", type="filepath")
            report = gr.File(label="report")
        gr.Button("Stats").click(
            stats, upload, report, **_testbed.endpoint("stats")
        )
    return demo


if __name__ == "__main__":
    _testbed.launch(build_demo())
