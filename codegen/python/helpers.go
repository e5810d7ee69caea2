package python

// checkHelper compares an output with the recorded one; pytest rewrites its
// assert to show both values.
const checkHelper = `

def check(what: str, got: object, want: object) -> None:
    """Assert that an output equals the recorded one; a failure names it."""
    assert got == want, what
`

// hfTokenHelper gives the client HF_TOKEN only for an app on Hugging Face
// (the rule of gradio.WithAmbientToken, and a Space id, which gradio_client
// resolves on huggingface.co), or anywhere with GRADIO_TOKEN_ANY_HOST=1.
// Else it gives False, since gradio_client sends HF_TOKEN, or a saved login,
// to any host when the token is None.
const hfTokenHelper = `

def hf_token(url: str) -> str | bool:
    """Return HF_TOKEN if url is on Hugging Face: a Space id, or an https URL of
    huggingface.co, *.huggingface.co or *.hf.space. Any other host gets no token,
    so that it cannot collect it, unless GRADIO_TOKEN_ANY_HOST=1.
    """
    on_hf = re.fullmatch(
        r"[\w.-]+/[\w.-]+|https://(([a-z0-9-]+\.)*huggingface\.co|([a-z0-9-]+\.)+hf\.space)(:443)?([/?#].*)?",
        url,
        re.ASCII | re.IGNORECASE | re.DOTALL,
    )
    if on_hf or os.environ.get("GRADIO_TOKEN_ANY_HOST") == "1":
        return os.environ.get("HF_TOKEN") or False
    return False
`

// showHelper prints a generator's final result, or with --stream each of
// its outputs, and raises if the call failed; OUTPUT stands for the printed
// expression.
const showHelper = `

def show(job) -> None:
    """Print the job's final result, or each of its outputs with --stream."""
    for output in job if "--stream" in sys.argv[1:] else [job.result()]:
        print(json.dumps(OUTPUT, ensure_ascii=False))
    job.result()  # raises the call's error, which iterating the job does not
`

// sha256Helper hashes an output file, which the recording holds by its hash.
const sha256Helper = `

def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
`

// maskedHelper nulls the parts of an output that the recording masks.
const maskedHelper = `

def masked(value: object, *paths: list) -> object:
    """Return value with None at each path (keys and list indexes) it has: the
    parts of an output that the recording masks, as they differ on every call.
    """
    for path in paths:
        value = _masked(value, path)
    return value


def _masked(value: object, path: list) -> object:
    if not path:
        return None
    key, rest = path[0], path[1:]
    if isinstance(value, dict) and key in value:
        return {**value, key: _masked(value[key], rest)}
    if isinstance(value, list) and isinstance(key, int) and key < len(value):
        return value[:key] + [_masked(value[key], rest)] + value[key + 1 :]
    return value
`
