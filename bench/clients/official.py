"""Benchmark the official Python client, gradio_client, against the echo app.

    python official.py <url>
    python official.py <url> <connects> <calls> <concurrent-calls> <in-flight>

With the URL alone it serves the Go harness (bench/clients): it connects one
client for the calls and then runs commands read from stdin, one per line,
answering each with one JSON line on stdout (times in seconds):

    warmup <calls> <in-flight>   <calls> sequential calls, then one batch of
                                 <in-flight> concurrent calls  -> {"errors", "error"}
    connect <n>                  <n> new clients, each closed   -> {"times": [...]}
    sequential <n>               <n> calls one after the other  -> {"latencies": [...],
                                                                     "wall", "errors", "error"}
    concurrent <n> <in-flight>   <n> calls, <in-flight> at once -> {"wall", "ok",
                                                                     "errors", "error"}

The first line it prints, once connected, is {"ready": true, "client": ...}.
The harness sends the same commands to every client in interleaved rounds, so
the workloads are identical. A failed call (an exception, or an output that is
not the input) counts as an error and is left out of the latencies.

With all five arguments it runs one warm-up, the three phases once and prints
one JSON object {connect: [...], sequential: [...], concurrent: s}.
"""

import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import gradio_client
from gradio_client import Client

API = "/echo"


def call(client, text):
    """Call /echo once; return None when it echoed text, else the problem."""
    try:
        out = client.predict(text, api_name=API)
    except Exception as e:  # noqa: BLE001 - every failure is counted
        return f"{type(e).__name__}: {e}"
    if out != text:
        return f"unexpected output {out!r}"
    return None


def connect(url, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        client = Client(url, verbose=False)
        times.append(time.perf_counter() - start)
        client.close()
    return {"times": times}


def sequential(client, n):
    latencies, errors, first = [], 0, ""
    wall = time.perf_counter()
    for i in range(n):
        start = time.perf_counter()
        problem = call(client, f"call {i}")
        took = time.perf_counter() - start
        if problem is None:
            latencies.append(took)
        else:
            errors += 1
            first = first or problem
    wall = time.perf_counter() - wall
    return {"latencies": latencies, "wall": wall, "errors": errors, "error": first}


def concurrent(client, n, in_flight):
    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        start = time.perf_counter()
        problems = list(pool.map(lambda i: call(client, f"c{i}"), range(n)))
        wall = time.perf_counter() - start
    failed = [p for p in problems if p is not None]
    first = failed[0] if failed else ""
    return {"wall": wall, "ok": n - len(failed), "errors": len(failed), "error": first}


def warmup(client, calls, in_flight):
    seq = sequential(client, calls)
    conc = concurrent(client, in_flight, in_flight)
    return {
        "errors": seq["errors"] + conc["errors"],
        "error": seq["error"] or conc["error"],
    }


def serve(url):
    client = Client(url, verbose=False)
    about = f"gradio_client {gradio_client.__version__} (Python {platform.python_version()})"
    print(json.dumps({"ready": True, "client": about}), flush=True)
    for line in sys.stdin:
        cmd, *args = line.split()
        args = [int(a) for a in args]
        if cmd == "warmup":
            out = warmup(client, *args)
        elif cmd == "connect":
            out = connect(url, *args)
        elif cmd == "sequential":
            out = sequential(client, *args)
        elif cmd == "concurrent":
            out = concurrent(client, *args)
        else:
            out = {"fatal": f"unknown command {cmd!r}"}
        print(json.dumps(out), flush=True)
    client.close()


def once(url, connects, calls, batch, in_flight):
    times = connect(url, connects)["times"]
    client = Client(url, verbose=False)
    warmup(client, 10, in_flight)
    seq = sequential(client, calls)
    conc = concurrent(client, batch, in_flight)
    client.close()
    json.dump(
        {"connect": times, "sequential": seq["latencies"], "concurrent": conc["wall"]},
        sys.stdout,
    )


def main():
    if len(sys.argv) == 2:
        serve(sys.argv[1])
    elif len(sys.argv) == 6:
        once(sys.argv[1], *map(int, sys.argv[2:6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
