"""Launch logic and Gradio version shims shared by the test-bed apps.

Every app in this folder ends with ``_testbed.launch(demo)``. The helpers here
hide the API differences between Gradio 4.44, 5.x and 6.x so that each app
file runs unchanged on all three (see README.md, "Version shims").

Environment variables read here:

GRADIO_SERVER_PORT       port to bind (required)
GRADIO_SERVER_NAME       host to bind (default 127.0.0.1)
GRADIOREC_MOUNT_PATH     if set (e.g. /sub/app), mount the app under this path
                         of a FastAPI app served by uvicorn instead of launch()
"""

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

# Must be set before gradio (and huggingface_hub) are imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_SSR_MODE", "false")

import gradio as gr  # noqa: E402

GRADIO_MAJOR = int(gr.__version__.split(".")[0])

# Visibility values, named as in Gradio 6 (api_visibility=...).
PUBLIC = "public"
UNDOCUMENTED = "undocumented"
PRIVATE = "private"

_OUTPUT_ROOT = Path(tempfile.gettempdir()) / "gradiorec-testbed"


# --------------------------------------------------------------------------
# Version shims
# --------------------------------------------------------------------------


def endpoint(name, visibility=PUBLIC):
    """Keyword arguments naming an event listener and setting its visibility.

    Gradio 6 takes ``api_visibility``; 4.x/5.x express "undocumented" as
    ``show_api=False`` and "private" as ``api_name=False`` (the endpoint then
    has no name at all on those versions).
    """
    if GRADIO_MAJOR >= 6:
        return {"api_name": name, "api_visibility": visibility}
    if visibility == PUBLIC:
        return {"api_name": name}
    if visibility == UNDOCUMENTED:
        return {"api_name": name, "show_api": False}
    if visibility == PRIVATE:
        return {"api_name": False, "show_api": False}
    raise ValueError(f"unknown visibility {visibility!r}")


def api(fn, name):
    """Register ``fn`` as a component-less API endpoint (``gr.api``).

    ``gr.api`` exists from Gradio 5.0. On 4.44 the same call signature is
    emulated with hidden components derived from the type hints and a hidden
    button; clients call it the same way, but the config shows components.
    Must be called inside a ``gr.Blocks`` context.
    """
    if hasattr(gr, "api"):
        return gr.api(fn, api_name=name)
    hints = dict(fn.__annotations__)
    returns = hints.pop("return")
    inputs = [_hidden_component(name, hint) for name, hint in hints.items()]
    outputs = [_hidden_component("output", returns)]
    trigger = gr.Button(visible=False)
    return trigger.click(fn, inputs, outputs, api_name=name)


def _hidden_component(label, hint):
    """A hidden component matching a simple type hint (4.44 gr.api shim)."""
    if hint is int:
        return gr.Number(label=label, precision=0, visible=False)
    if hint is float:
        return gr.Number(label=label, visible=False)
    if hint is str:
        return gr.Textbox(label=label, visible=False)
    return gr.JSON(label=label, visible=False)


def interface(fn, inputs, outputs, name, **kwargs):
    """A ``gr.Interface`` with an explicit api_name and flagging turned off.

    Flagging is ``allow_flagging`` on 4.x and ``flagging_mode`` from 5.0;
    turning it off keeps the app from writing a ``flagged/`` folder.
    """
    if GRADIO_MAJOR >= 5:
        kwargs["flagging_mode"] = "never"
    else:
        kwargs["allow_flagging"] = "never"
    return gr.Interface(fn, inputs, outputs, api_name=name, **kwargs)


def chat_interface(fn, name="chat", **kwargs):
    """A ``gr.ChatInterface`` using the openai-style "messages" history.

    4.x/5.x need ``type="messages"`` (6.x removed the argument; messages is
    the only format). 4.44 has no ``api_name`` argument and always uses
    "chat", so ``name`` must stay "chat" to be identical on all versions.
    """
    if GRADIO_MAJOR < 6:
        kwargs["type"] = "messages"
    if GRADIO_MAJOR >= 5:
        kwargs["api_name"] = name
    elif name != "chat":
        raise ValueError("Gradio 4.x ChatInterface is always /chat")
    return gr.ChatInterface(fn, **kwargs)


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def write_output(filename, data):
    """Write ``data`` (bytes) to a content-addressed path and return it.

    The folder is derived from the bytes, so identical outputs get identical
    paths and concurrent calls never clobber each other. It lives under the
    system temp dir, which every Gradio version allows to be served.
    """
    folder = _OUTPUT_ROOT / hashlib.sha256(data).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    return str(path)


# --------------------------------------------------------------------------
# Launch
# --------------------------------------------------------------------------


def env_float(name, default):
    """A float from the environment, or ``default``."""
    value = os.environ.get(name)
    return float(value) if value else default


def _server_address():
    host = os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    port = os.environ.get("GRADIO_SERVER_PORT")
    if not port:
        sys.exit("testbed: set GRADIO_SERVER_PORT to the port to listen on")
    return host, int(port)


def _patient_url_ok():
    """Let ``launch()`` wait for its own server however loaded the machine is.

    Before returning, ``demo.launch`` sends one request to the new server and
    gives up ("When localhost is not accessible, a shareable link must be
    created") if it takes over 3 seconds, which happens on a busy two-core CI
    machine. Replace the check with one that waits up to two minutes.
    """
    import httpx
    from gradio import networking

    def url_ok(url):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.head(url, timeout=30).status_code in (200, 302, 401):
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        return False

    networking.url_ok = url_ok


def launch(demo, **kwargs):
    """Serve ``demo`` until the process is killed.

    ``kwargs`` go to ``demo.launch`` or ``gr.mount_gradio_app``, so use only
    arguments both accept (``auth``, ``auth_message``, ``allowed_paths``,
    ``max_file_size``, ``show_error`` ...).
    """
    host, port = _server_address()
    kwargs.setdefault("show_error", True)
    demo.queue()
    mount_path = os.environ.get("GRADIOREC_MOUNT_PATH")
    if mount_path:
        _serve_mounted(demo, host, port, mount_path, kwargs)
    else:
        _patient_url_ok()
        demo.launch(
            server_name=host,
            server_port=port,
            share=False,
            inbrowser=False,
            prevent_thread_lock=False,
            **kwargs,
        )


def _serve_mounted(demo, host, port, mount_path, kwargs):
    """Mount ``demo`` under ``mount_path`` of a bare FastAPI app."""
    import uvicorn
    from fastapi import FastAPI

    path = "/" + mount_path.strip("/")
    app = gr.mount_gradio_app(FastAPI(), demo, path=path, **kwargs)
    print(f"* Mounting app at http://{host}:{port}{path}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
