"""Benchmark the official Python client, gradio_client, against the echo app.

    python official.py <url> <connects> <calls> <concurrent-calls> <in-flight>

Prints one JSON object: connect times, sequential call latencies and the
wall time of the concurrent batch, all in seconds. The Go harness
(bench/clients) runs it beside the Go client and prints the ratios.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from gradio_client import Client


def main():
    url = sys.argv[1]
    connects, calls, batch, in_flight = map(int, sys.argv[2:6])

    connect = []
    for _ in range(connects):
        start = time.perf_counter()
        client = Client(url, verbose=False)
        connect.append(time.perf_counter() - start)
        client.close()

    client = Client(url, verbose=False)
    client.predict("warm-up", api_name="/echo")
    sequential = []
    for i in range(calls):
        start = time.perf_counter()
        out = client.predict(f"call {i}", api_name="/echo")
        sequential.append(time.perf_counter() - start)
        assert out == f"call {i}", out

    def one(i):
        out = client.predict(f"c{i}", api_name="/echo")
        assert out == f"c{i}", out

    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        start = time.perf_counter()
        list(pool.map(one, range(batch)))
        concurrent = time.perf_counter() - start
    client.close()
    json.dump({"connect": connect, "sequential": sequential, "concurrent": concurrent}, sys.stdout)


if __name__ == "__main__":
    main()
