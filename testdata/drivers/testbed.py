"""Check a running test-bed app with the real gradio_client.

Usage: python testbed.py <app-name> <url>

<app-name> is a file name from testdata/apps without ".py" (calculator,
text, stream, state, files, chat, multi, auth, slow, echo,
calculator_changed, calculator_renamed, noisy, noisy_changed, apikey, names, guestbook,
toasty, eventdata, eventdata_changed, llm, llm_changed, cart, cart_changed,
state_changed, chat_tone, chat_files);
<url> is the app's root URL, including the mount path if the app is mounted.

Calls every public and undocumented endpoint with fixed inputs and compares
the outputs with the EXPECTED values below. Prints "ok <app> <n> checks" and
exits 0 on success; prints the failed check to stderr and exits 1 otherwise
(2 for usage errors). Works with gradio_client 1.3.x, 1.13.x and 2.x.

The driver refuses network connections to anything but <url>'s host and
port (a socket audit hook), and turns the client's telemetry off.
"""

import hashlib
import inspect
import os
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit

# Before gradio_client is imported: no telemetry, no Hugging Face Hub calls.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import httpx  # noqa: E402  (a dependency of gradio_client)
from gradio_client import Client, handle_file  # noqa: E402
from gradio_client.utils import JobStatus, Status  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "apps" / "fixtures"
TIMEOUT = 60  # seconds for any single call

# ---------------------------------------------------------------------------
# Expected values, one dict per app. Inputs and outputs are what the Python
# client passes and returns (State slots are not part of either).
# ---------------------------------------------------------------------------

CALCULATOR = {
    "parameters": ["num1", "operation", "num2"],
    "calls": [  # (num1, operation, num2) -> result
        ((3, "add", 4), 7),
        ((10, "subtract", 4), 6),
        ((6, "multiply", 7), 42),
        ((7, "divide", 2), 3.5),
    ],
    "error": ((1, "divide", 0), "Cannot divide by zero!"),
}
CALCULATOR_CHANGED = {
    **CALCULATOR,
    "calls": [
        ((3, "add", 4), 7),
        ((10, "subtract", 4), 6),
        ((6, "multiply", 7), 43),  # the one changed operation
        ((7, "divide", 2), 3.5),
    ],
}
CALCULATOR_RENAMED = {
    **CALCULATOR,
    "parameters": ["num1", "operation", "second"],  # num2 renamed
}

TEXT = {
    "calls": [  # text -> (reversed, word_count, summary)
        (
            "Hello gradio world",
            (
                "dlrow oidarg olleH",
                3,
                {
                    "length": 18,
                    "upper": "HELLO GRADIO WORLD",
                    "words": ["Hello", "gradio", "world"],
                },
            ),
        ),
        (
            "Grüße, Köln ✓",
            (
                "✓ nlöK ,eßürG",
                3,
                {
                    "length": 13,
                    "upper": "GRÜSSE, KÖLN ✓",
                    "words": ["Grüße,", "Köln", "✓"],
                },
            ),
        ),
    ],
}

STREAM = {
    "grow": ("gradio", ["g", "gr", "gra", "grad", "gradi", "gradio"]),
    "count": (5, [1, 2, 3, 4, 5]),
    "progress": {
        "steps": 4,
        "result": "Finished 4 steps",
        "logs": [("Starting 4 steps", "info"), ("Almost done", "warning")],
        "progress_desc": "Working",
    },
}

STATE = {
    # one session: word -> (count, words so far)
    "session": [("hello", (1, "hello")), ("world", (2, "hello world"))],
    "list": ["hello", "world"],
    # a second client has its own, empty state
    "other_session": ("solo", (1, "solo")),
}
STATE_CHANGED = {**STATE, "session": [("hello", (1, "hello")), ("world", (2, "hello,world"))]}

FILES = {
    "mirror": {
        "input": "pattern.png",
        "output_name": "mirrored.png",
        "output_sha256": (
            "3092d2509d7aaea9098f0698de27d383c94246e6df4b26a7710b0b61cf15aa98"
        ),
    },
    "stats": {
        "input": "sample.txt",
        "output_name": "sample.stats.txt",
        "output_text": (
            "name: sample.txt\n"
            "bytes: 47\n"
            "sha256: aa597c4ea0eec6af895cdf671f68b863"
            "ac012d7245288bed0fb05e87713b3d8f\n"
            "lines: 2\n"
        ),
    },
}

CHAT = {
    "message": "hi there",
    "updates": ["You", "You said:", "You said: hi", "You said: hi there"],
}

CHAT_TONE = {
    # (message, tone) -> reply, in one session (the history is kept)
    "turns": [(("hi there", "loud"), "YOU SAID: HI THERE!"),
              (("how are you", "plain"), "You said: how are you")],
}

CHAT_FILES = {
    # (text, fixture files) -> reply, in one session: n counts the replies
    "turns": [(("what is in this file?", ["sample.txt"]),
               "Reply 1: what is in this file? | sample.txt: 47 bytes, sha256 aa597c4e"),
              (("and now?", []), "Reply 2: and now?")],
}

MULTI = {
    "documented": ["/add_ints", "/greet", "/length", "/step_one", "/step_two"],
    "undocumented": ["/shout"],
    "not_callable": ["/whisper"],  # private
    "calls": [  # (api_name, args, kwargs, result)
        ("/greet", ("Ann",), {}, "Hello, Ann!"),
        ("/greet", (), {"name": "Bob"}, "Hello, Bob!"),
        ("/shout", ("Ann",), {}, "ANN!"),
        ("/add_ints", (), {"a": 2, "b": 3}, 5),
        ("/step_one", ("start",), {}, "start -> one"),
        ("/step_two", ("start -> one",), {}, "start -> one -> two"),
        ("/length", ("Ann",), {}, 3),
    ],
}

AUTH = {
    "user": os.environ.get("GRADIOREC_AUTH_USER") or "admin",
    "password": os.environ.get("GRADIOREC_AUTH_PASSWORD") or "s3cret-pass",
    "wrong_password": "not-the-password",
    # substrings of the client's errors (AuthenticationError, ValueError)
    "refused_without": "credentials were not provided",
    "refused_wrong": "Could not login",
    "call": ("Ann", "Hello, Ann!"),
}

VAULT = {
    "user": os.environ.get("GRADIOREC_VAULT_USER") or "ada",
    "password": os.environ.get("GRADIOREC_VAULT_PASSWORD") or "Hello",
    "calls": [
        ("/greet", ("Ada",), "Hello, Ada!"),
        ("/unlock", ("open-sesame-42", "Ada"), "Ada unlocked the vault with open-sesame-42"),
        ("/check_key", ("sk-test-0123456789",), "key sk-test-0123456789 accepted"),
    ],
}

SLOW = {
    "seconds": float(os.environ.get("GRADIOREC_SLOW_SECONDS") or 1.0),
    # submitted at once; results "done: <label>". Rank >= 1 needs the last
    # joins to reach the server within "seconds" of the first: on a very
    # loaded machine raise GRADIOREC_SLOW_SECONDS (for app and driver).
    "labels": ["a", "b", "c", "d"],
    "ticker_prefix": "tick",
    "ticks_before_cancel": 3,
}

ECHO = {
    "echo": ["ping", "multi\nline ✓ \"quoted\""],
    "burst": (50, list(range(1, 51))),
    "stamp_tag": "t1",
}

NOISY = {
    "input": "make some noise",
    "deterministic": {"text": "make some noise", "length": 15, "words": 3},
    "noise": ["timestamp", "nonce"],
}
NOISY_CHANGED = {
    **NOISY,
    "deterministic": {**NOISY["deterministic"], "words": 4},  # changed
}

APIKEY = {
    # (name, api_key, pin) -> (greeting, digest, pin)
    "calls": [
        (
            ("Ada", "sk-test-0123456789", "pin-7Q"),
            (
                "Hello Ada, your key is sk-test-0123456789 (18 characters)",
                "473e0b9385ee",
                "pin-7Q",
            ),
        ),
    ],
    "error": (("", "sk-test-0123456789", "pin-7Q"),
              "No name given for key sk-test-0123456789"),
}

NAMES = {
    "odd": ("odd name #1?&=%", "hi", "odd: hi"),  # api_name, input, output
}
LLM = {
    "chat": ("hello", "hello? "),  # message -> how the sampled reply starts
    "answer": ("life", "Answer to life: 42."),  # question -> final reply
}
LLM_CHANGED = {**LLM, "answer": ("life", "Answer to life: 43.")}  # changed

TOASTY = {
    "notify": "notified",
    "next": (3, "next 3"),  # n -> result
}
EVENTDATA = {
    # gradio_client sends no trigger_id: the listener sees no target.
    "which": ("hi", "NoneType None: hi"),  # text -> result
}
EVENTDATA_CHANGED = {"which": ("hi", "NoneType None -> hi")}  # changed
CART = {
    # item -> status, in one session; then the receipt of /checkout
    "add": [("apple", "1 in the cart: apple"), ("pear", "2 in the cart: apple, pear")],
    "checkout": "2 items: apple, pear",
}
CART_CHANGED = {**CART, "add": [("apple", "1 items: apple"), ("pear", "2 items: apple, pear")]}


# ---------------------------------------------------------------------------
# Check helpers
# ---------------------------------------------------------------------------


class CheckFailed(Exception):
    """One expectation did not hold."""


class Checks:
    """Counts checks; raises CheckFailed on the first one that fails."""

    def __init__(self):
        self.count = 0

    def true(self, what, condition, detail=""):
        self.count += 1
        if not condition:
            raise CheckFailed(f"{what}: {detail}" if detail else what)

    def equal(self, what, got, want):
        self.true(what, got == want, f"got {got!r}, want {want!r}")

    def raises(self, what, fn, message=None):
        """``fn()`` must raise an error containing ``message`` (if set)."""
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - any failure is fine here
            text = str(error)
            self.true(
                what,
                message is None or message in text,
                f"error {text!r} does not contain {message!r}",
            )
            return error
        self.true(what, False, "no exception raised")


class RecordingJobStatus(JobStatus):
    """A JobStatus that keeps every status the client processed, in order."""

    def __setattr__(self, name, value):
        if name == "latest_status":
            self.__dict__.setdefault("history", []).append(value)
        super().__setattr__(name, value)


def record_statuses(client):
    """Make every job of ``client`` keep its status history.

    gradio_client only exposes the latest status; wrapping Client.new_helper
    (present in 1.x and 2.x) lets the driver see estimation (rank), progress
    and log messages. Read them with ``history(job)``.
    """
    new_helper = client.new_helper

    def recording_new_helper(*args, **kwargs):
        helper = new_helper(*args, **kwargs)
        helper.job = RecordingJobStatus()
        return helper

    client.new_helper = recording_new_helper
    return client


def history(job):
    """The statuses a job of a recording client has seen so far."""
    return list(job.communicator.job.__dict__.get("history", []))


def call(client, *args, api_name, **kwargs):
    """client.predict with a timeout."""
    job = client.submit(*args, api_name=api_name, **kwargs)
    return job.result(timeout=TIMEOUT)


def stream(client, *args, api_name, **kwargs):
    """All intermediate outputs of a generator endpoint, and the job."""
    job = client.submit(*args, api_name=api_name, **kwargs)
    job.result(timeout=TIMEOUT)
    return job.outputs(), job


def endpoint_names(client):
    """api_names the client documents (view_api; undocumented excluded)."""
    info = client.view_api(print_info=False, return_format="dict")
    return sorted(info["named_endpoints"])


def parameter_names(client, api_name):
    info = client.view_api(print_info=False, return_format="dict")
    params = info["named_endpoints"][api_name]["parameters"]
    return [p["parameter_name"] for p in params]


def all_endpoint_names(client, url):
    """api_names listed by the server's /info?all_endpoints=true."""
    prefix = client.config.get("api_prefix", "")
    info_url = url.rstrip("/") + prefix + "/info?all_endpoints=true"
    response = httpx.get(info_url, cookies=client.cookies, timeout=TIMEOUT)
    response.raise_for_status()
    return sorted(response.json()["named_endpoints"])


# ---------------------------------------------------------------------------
# Per-app checks
# ---------------------------------------------------------------------------


def check_calculator(target, checks, expected):
    client = target.connect()
    params = expected["parameters"]
    checks.equal("parameters of /calculate",
                 parameter_names(client, "/calculate"), params)
    for args, want in expected["calls"]:
        checks.equal(f"/calculate{args} positional",
                     call(client, *args, api_name="/calculate"), want)
        kwargs = dict(zip(params, args))
        checks.equal(f"/calculate({kwargs}) keywords",
                     call(client, **kwargs, api_name="/calculate"), want)
    args, message = expected["error"]
    checks.raises(f"/calculate{args} raises gr.Error",
                  lambda: call(client, *args, api_name="/calculate"), message)


def check_text(target, checks, expected):
    client = target.connect()
    for text, want in expected["calls"]:
        got = call(client, text, api_name="/analyze")
        checks.equal(f"/analyze({text!r})", tuple(got), want)


def check_stream(target, checks, expected):
    client = record_statuses(target.connect())
    for name in ("grow", "count"):
        arg, updates = expected[name]
        outputs, job = stream(client, arg, api_name=f"/{name}")
        checks.equal(f"/{name}({arg!r}) streamed updates", outputs, updates)
        generating = [s for s in history(job) if s.code == Status.ITERATING]
        checks.true(f"/{name} sent one message per update",
                    len(generating) >= len(updates),
                    f"{len(generating)} ITERATING statuses")
    check_progress(client, checks, expected["progress"])


def check_progress(client, checks, expected):
    job = client.submit(expected["steps"], api_name="/progress")
    checks.equal("/progress result", job.result(timeout=TIMEOUT),
                 expected["result"])
    statuses = history(job)
    logs = [(s.log[0], s.log[1].lower()) for s in statuses if s.log]
    checks.equal("/progress log messages", logs, expected["logs"])
    units = [unit for s in statuses if s.code == Status.PROGRESS
             for unit in (s.progress_data or [])]
    checks.true("/progress sent progress updates", units, "none received")
    checks.equal("/progress length and desc",
                 {(u.length, u.desc) for u in units},
                 {(expected["steps"], expected["progress_desc"])})


def check_state(target, checks, expected):
    client = target.connect()
    for word, want in expected["session"]:
        got = call(client, word, api_name="/count_words")
        checks.equal(f"/count_words({word!r}) in one session",
                     tuple(got), want)
    checks.equal("/list_words sees the same session",
                 call(client, api_name="/list_words"), expected["list"])
    word, want = expected["other_session"]
    got = call(target.connect(), word, api_name="/count_words")
    checks.equal("/count_words in a new session starts empty",
                 tuple(got), want)


def check_files(target, checks, expected):
    client = target.connect()
    mirror = expected["mirror"]
    first = call(client, handle_file(str(FIXTURES / mirror["input"])),
                 api_name="/mirror")
    check_file(checks, "/mirror", first, mirror["output_name"],
               sha256=mirror["output_sha256"])
    again = call(client, handle_file(str(FIXTURES / mirror["input"])),
                 api_name="/mirror")
    checks.equal("/mirror is byte-deterministic",
                 Path(again).read_bytes(), Path(first).read_bytes())
    stats = expected["stats"]
    report = call(client, handle_file(str(FIXTURES / stats["input"])),
                  api_name="/stats")
    check_file(checks, "/stats", report, stats["output_name"],
               text=stats["output_text"])


def check_file(checks, what, path, name, sha256=None, text=None):
    checks.true(f"{what} returned a downloaded file",
                isinstance(path, str) and Path(path).is_file(), repr(path))
    checks.equal(f"{what} file name", Path(path).name, name)
    data = Path(path).read_bytes()
    if sha256 is not None:
        checks.equal(f"{what} sha256",
                     hashlib.sha256(data).hexdigest(), sha256)
    if text is not None:
        checks.equal(f"{what} content", data.decode(), text)


def check_chat(target, checks, expected):
    client = target.connect()
    outputs, _ = stream(client, expected["message"], api_name="/chat")
    checks.equal("/chat streamed reply", outputs, expected["updates"])
    checks.equal("/chat final reply",
                 call(client, expected["message"], api_name="/chat"),
                 expected["updates"][-1])


def check_chat_tone(target, checks, expected):
    client = target.connect()
    for (message, tone), want in expected["turns"]:
        checks.equal(f"/chat({message!r}, tone={tone!r})",
                     call(client, message, tone, api_name="/chat"), want)


def check_chat_files(target, checks, expected):
    client = target.connect()
    for (text, files), want in expected["turns"]:
        message = {"text": text,
                   "files": [handle_file(str(FIXTURES / f)) for f in files]}
        checks.equal(f"/chat({text!r}, files={files!r})",
                     call(client, message, api_name="/chat"), want)


def check_multi(target, checks, expected):
    client = target.connect()
    checks.equal("documented endpoints (view_api)", endpoint_names(client),
                 expected["documented"])
    listed = all_endpoint_names(client, target.url)
    for name in expected["undocumented"]:
        checks.true(f"{name} is listed by /info?all_endpoints=true",
                    name in listed, f"got {listed}")
    for name in expected["not_callable"]:
        checks.true(f"{name} is not listed anywhere", name not in listed,
                    f"got {listed}")
        checks.raises(f"{name} cannot be called by name",
                      lambda: call(client, "Ann", api_name=name))
    for api_name, args, kwargs, want in expected["calls"]:
        got = call(client, *args, api_name=api_name, **kwargs)
        checks.equal(f"{api_name}{args or kwargs}", got, want)


def check_auth(target, checks, expected):
    user, password = expected["user"], expected["password"]
    checks.raises("connecting without credentials is refused",
                  lambda: target.connect(auth=None),
                  expected["refused_without"])
    wrong = (user, expected["wrong_password"])
    checks.raises("connecting with a wrong password is refused",
                  lambda: target.connect(auth=wrong),
                  expected["refused_wrong"])
    client = target.connect(auth=(user, password))
    name, want = expected["call"]
    checks.equal(f"/greet({name!r}) with credentials",
                 call(client, name, api_name="/greet"), want)


def check_vault(target, checks, expected):
    client = target.connect(auth=(expected["user"], expected["password"]))
    for api_name, args, want in expected["calls"]:
        checks.equal(f"{api_name}{args}", call(client, *args, api_name=api_name), want)
    jar = call(client, api_name="/cookies")
    checks.true("/cookies() echoes the login cookie", "access-token" in jar)


def check_slow(target, checks, expected):
    client = record_statuses(target.connect())
    seconds = expected["seconds"]
    started = time.monotonic()
    jobs = [client.submit(label, api_name="/wait")
            for label in expected["labels"]]
    results = [job.result(timeout=TIMEOUT) for job in jobs]
    elapsed = time.monotonic() - started
    checks.equal("/wait results", results,
                 [f"done: {label}" for label in expected["labels"]])
    checks.true("/wait calls ran one at a time (concurrency_limit=1)",
                elapsed >= seconds * len(jobs) * 0.9,
                f"{len(jobs)} calls took {elapsed:.2f}s")
    ranks = [s.rank for job in jobs for s in history(job)
             if s.code == Status.IN_QUEUE and s.rank is not None]
    checks.true("queued calls saw estimation messages with rank > 0",
                ranks and max(ranks) >= 1,
                f"ranks seen: {ranks} (machine too loaded? raise "
                "GRADIOREC_SLOW_SECONDS)")
    check_ticker_cancel(client, checks, expected)


def check_ticker_cancel(client, checks, expected):
    prefix, wanted = expected["ticker_prefix"], expected["ticks_before_cancel"]
    job = start_ticker(client, prefix, wanted)
    job.cancel()
    time.sleep(0.5)
    count = len(job.outputs())
    time.sleep(0.5)
    outputs = job.outputs()
    checks.equal("/ticker first updates", outputs[:wanted],
                 [f"{prefix} {i}" for i in range(1, wanted + 1)])
    checks.equal("/ticker stops after cancel", len(outputs), count)
    # /ticker has the default concurrency limit of 1: a second ticker only
    # starts if the server really stopped the first one.
    second = start_ticker(client, prefix, 1)
    second.cancel()
    checks.true("a new /ticker runs after cancel (server-side cancel)",
                len(second.outputs()) >= 1, "the second ticker never started")


def start_ticker(client, prefix, updates):
    """Submit /ticker and wait until it has sent ``updates`` updates."""
    job = client.submit(prefix, api_name="/ticker")
    deadline = time.monotonic() + 10
    while len(job.outputs()) < updates and time.monotonic() < deadline:
        time.sleep(0.01)
    return job


def check_echo(target, checks, expected):
    client = target.connect()
    for text in expected["echo"]:
        checks.equal(f"/echo({text!r})", call(client, text, api_name="/echo"),
                     text)
    n, updates = expected["burst"]
    outputs, _ = stream(client, n, api_name="/burst")
    checks.equal(f"/burst({n}) updates", outputs, updates)
    tag = expected["stamp_tag"]
    before = time.time_ns()
    stamp = call(client, tag, api_name="/stamp")
    after = time.time_ns()
    checks.equal("/stamp tag", stamp["tag"], tag)
    checks.true("/stamp time_ns lies within the call",
                before <= stamp["time_ns"] <= after,
                f"{before} <= {stamp['time_ns']} <= {after}")


def check_noisy(target, checks, expected):
    client = target.connect()
    reports = [call(client, expected["input"], api_name="/report")
               for _ in range(2)]
    for report in reports:
        deterministic = {k: report[k] for k in expected["deterministic"]}
        checks.equal("/report deterministic fields", deterministic,
                     expected["deterministic"])
        checks.equal("/report fields", sorted(report),
                     sorted([*expected["deterministic"], *expected["noise"]]))
    checks.true("/report nonce differs between calls",
                reports[0]["nonce"] != reports[1]["nonce"])


def check_apikey(target, checks, expected):
    client = target.connect()
    for args, want in expected["calls"]:
        checks.equal(f"/greet{args[:1]}", tuple(call(client, *args,
                                                     api_name="/greet")), want)
        name, api_key, pin_ = args
        checks.equal("/greet by keyword", tuple(call(
            client, name=name, api_key=api_key, pin=pin_, api_name="/greet")),
            want)
    args, message = expected["error"]
    checks.raises("/greet without a name",
                  lambda: call(client, *args, api_name="/greet"), message)


GUESTBOOK = {
    "welcome": "Welcome to the guestbook",
    "notes": [("Ada", "Thanks, Ada: note 1 of this session"),
              ("Grace", "Thanks, Grace: note 2 of this session")],
    "error": "Write your name first",
}


def check_guestbook(target, checks, expected):
    client = target.connect()
    checks.equal("/welcome", call(client, api_name="/welcome"),
                 expected["welcome"])
    for name, want in expected["notes"]:
        checks.equal(f"/sign({name!r}) in one session",
                     call(client, name, api_name="/sign"), want)
    checks.raises("/sign without a name",
                  lambda: call(client, " ", api_name="/sign"),
                  expected["error"])


def check_names(target, checks, expected):
    client = target.connect()
    name, text, want = expected["odd"]
    checks.equal(f"/{name}", call(client, text, api_name="/" + name), want)


def check_toasty(target, checks, expected):
    client = target.connect()
    checks.equal("/notify", call(client, api_name="/notify"), expected["notify"])
    n, want = expected["next"]
    checks.equal("/next", call(client, n, api_name="/next"), want)


def check_eventdata(target, checks, expected):
    client = target.connect()
    text, want = expected["which"]
    checks.equal("/which", call(client, text, api_name="/which"), want)


def check_cart(target, checks, expected):
    # The Empty button's endpoint is private: gradio_client cannot call it.
    client = target.connect()
    for item, want in expected["add"]:
        checks.equal(f"/add({item!r}) in one session",
                     call(client, item, api_name="/add"), want)
    checks.equal("/checkout sees the same cart",
                 call(client, api_name="/checkout"), expected["checkout"])
    checks.equal("/checkout in a new session has an empty cart",
                 call(target.connect(), api_name="/checkout"), "0 items: none")


def check_llm(target, checks, expected):
    client = target.connect()
    message, start = expected["chat"]
    outputs, _ = stream(client, message, api_name="/chat")
    checks.true("/chat streams 2 to 9 updates", 2 <= len(outputs) <= 9,
                repr(outputs))
    checks.true("/chat reply starts with the message",
                outputs[-1].startswith(start), repr(outputs[-1]))
    question, final = expected["answer"]
    outputs, _ = stream(client, question, api_name="/answer")
    checks.equal("/answer final reply", outputs[-1], final)
    checks.true("/answer updates are the reply so far",
                all(final.startswith(o) for o in outputs), repr(outputs))


APPS = {
    "calculator": (check_calculator, CALCULATOR),
    "calculator_changed": (check_calculator, CALCULATOR_CHANGED),
    "calculator_renamed": (check_calculator, CALCULATOR_RENAMED),
    "text": (check_text, TEXT),
    "stream": (check_stream, STREAM),
    "state": (check_state, STATE),
    "files": (check_files, FILES),
    "chat": (check_chat, CHAT),
    "multi": (check_multi, MULTI),
    "auth": (check_auth, AUTH),
    "vault": (check_vault, VAULT),
    "slow": (check_slow, SLOW),
    "echo": (check_echo, ECHO),
    "noisy": (check_noisy, NOISY),
    "noisy_changed": (check_noisy, NOISY_CHANGED),
    "apikey": (check_apikey, APIKEY),
    "names": (check_names, NAMES),
    "guestbook": (check_guestbook, GUESTBOOK),
    "toasty": (check_toasty, TOASTY),
    "eventdata": (check_eventdata, EVENTDATA),
    "eventdata_changed": (check_eventdata, EVENTDATA_CHANGED),
    "state_changed": (check_state, STATE_CHANGED),
    "chat_tone": (check_chat_tone, CHAT_TONE),
    "chat_files": (check_chat_files, CHAT_FILES),
    "cart": (check_cart, CART),
    "cart_changed": (check_cart, CART_CHANGED),
    "llm": (check_llm, LLM),
    "llm_changed": (check_llm, LLM_CHANGED),
}


# ---------------------------------------------------------------------------
# Network guard and main
# ---------------------------------------------------------------------------


def guard_network(url):
    """Block socket connections to anything but ``url``'s host and port."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    allowed = {
        (info[4][0], port)
        for info in socket.getaddrinfo(parts.hostname, port)
    }
    blocked = []

    def hook(event, args):
        if event != "socket.connect":
            return
        address = args[1]
        if isinstance(address, tuple) and address[:2] not in allowed:
            blocked.append(address)
            raise PermissionError(f"testbed driver: blocked connect {address}")

    sys.addaudithook(hook)
    return blocked


_DEFAULT_AUTH = object()


class Target:
    """The app under test: its URL and a way to open client sessions."""

    def __init__(self, app, url, download_dir):
        self.url = url
        self.options = {
            "verbose": False,
            "download_files": download_dir,
            # the clients' default of 5 s is too short on a loaded machine
            "httpx_kwargs": {"timeout": httpx.Timeout(TIMEOUT)},
        }
        if "analytics_enabled" in inspect.signature(Client).parameters:
            self.options["analytics_enabled"] = False
        self.auth = (AUTH["user"], AUTH["password"]) if app == "auth" else None

    def connect(self, auth=_DEFAULT_AUTH):
        """A new Client, i.e. a new session (own session_hash and State)."""
        auth = self.auth if auth is _DEFAULT_AUTH else auth
        return Client(self.url, auth=auth, **self.options)


def run(app, url):
    check, expected = APPS[app]
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="gradiorec-driver-") as download:
        check(Target(app, url, download), checks, expected)
    return checks.count


def main(argv):
    if len(argv) != 3 or argv[1] not in APPS:
        print(f"usage: {argv[0]} <{'|'.join(APPS)}> <url>", file=sys.stderr)
        return 2
    app, url = argv[1], argv[2]
    blocked = guard_network(url)
    try:
        count = run(app, url)
    except CheckFailed as failure:
        print(f"FAIL {app} {url}: {failure}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - an unexpected failure
        print(f"FAIL {app} {url}: {type(error).__name__}: {error}",
              file=sys.stderr)
        traceback.print_exc()
        return 1
    if blocked:
        print(f"FAIL {app}: tried to reach {sorted(set(blocked))}",
              file=sys.stderr)
        return 1
    print(f"ok {app} {count} checks")
    return 0


if __name__ == "__main__":
    # Client threads may linger after the checks; don't wait for them.
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
