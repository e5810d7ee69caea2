// Package codegen turns a recording.Recording into client code: Python
// (gradio_client), JavaScript (@gradio/client), Go (package gradio) and cURL,
// as scripts or tests, and Locust load tests in which each simulated user
// replays a recorded session with gradio_client (Lang Locust, docs/load.md). Generators are pure functions of the recording:
// Generate returns the files and Export adds what a runnable folder needs
// (README.md, requirements.txt / package.json / go.mod, the fixture files to
// copy); the caller writes them.
//
// Every language replays each recorded session with one client (one
// session_hash), in order, so gr.State carries over. What each language can
// call differs: public endpoints everywhere; undocumented endpoints with
// positional arguments in Python and JavaScript (the official clients know
// no parameter names for them), named in Go; private endpoints by fn_index
// in JavaScript and Go, not at all in Python and cURL; UI-only events and
// calls cancelled or unfinished during the recording nowhere. What is not
// replayed is a comment saying why.
//
// # Scripts and tests
//
// A script prints the result of each call as one line of JSON (cURL prints
// the server's event stream, whose data lines are JSON) and the message of
// each call that fails. A test checks, for each call, that it fails when the
// recorded call failed, and else that each output equals the recorded one: a
// failure names the call and the output, with the label the app's API gives
// it ("3 /calculate: output 0 (result)"), and shows both values. Output
// files are compared by the SHA-256 of their bytes when the recording holds
// them; parts of outputs that the recording masks (recording.Mask: values
// that differ on every call, such as a time) are set to null on both sides
// before comparing, and a mask of a whole output leaves it unchecked.
//
// Generated code reads the app's URL from GRADIO_URL (the recorded one when
// unset) and its secrets from HF_TOKEN, GRADIO_USERNAME and GRADIO_PASSWORD,
// and those of the recording from GRADIO_SECRET_<NAME> (see Secrets).
// HF_TOKEN is read only by code for a recording of a Space, and sent only to
// an app on Hugging Face, by the rule of gradio.WithAmbientToken (https and
// huggingface.co, *.huggingface.co or *.hf.space on the default port, or a
// Space id, which the clients resolve there), or to any app when
// GRADIO_TOKEN_ANY_HOST=1: the recorded URL comes from an untrusted
// recording. Python code for other apps passes token=False, since
// gradio_client would send HF_TOKEN, or a saved login, to any host; cURL code
// gives curl the token's header through a pipe, never on its command line.
// The code runs against a live app in this package's tests: Python with
// gradio_client and pytest, JavaScript with @gradio/client on Node, Go with
// package gradio, cURL with bash (and jq for the test flavour).
//
// # Values
//
// Recorded values are rendered as literals that evaluate to exactly what the
// language's own JSON parser gives for the recorded text (see the Literal
// function of each sub-package):
//   - numbers keep their JSON text: Python reads "3" as int and "3.0" as
//     float, JavaScript as a double, Go as an int, int64 or float64 constant
//     when json.Marshal writes it back unchanged and json.Number("...")
//     otherwise ("-0", "3.0", "1e400", 2^64);
//   - strings are escaped where the language needs it and where a character
//     is invisible (controls, format characters such as U+202E, U+2028 and
//     U+2029); printable text stays readable;
//   - lone UTF-16 surrogates (\ud800 in the JSON) stay lone surrogates in
//     Python and JavaScript and become U+FFFD in Go, as encoding/json reads
//     them; JSON cannot carry invalid UTF-8, so bytes that are not UTF-8 in a
//     recording are read as U+FFFD, one per byte, as encoding/json does;
//   - a repeated object key keeps its last value; "__proto__" is an own
//     property in JavaScript;
//   - values nested deeper than 90 levels are decoded at run time from their
//     JSON text (CPython's parser refuses 200 nested brackets).
//
// # Secrets
//
// An input string that is a named secret's placeholder, "<redacted:NAME>"
// (see recording.ParseSecret), or holds one inside longer text
// (recording.SplitSecrets), is built at run time from the environment
// variable recording.SecretEnv(NAME), GRADIO_SECRET_NAME: os.environ in
// Python, process.env in JavaScript, os.Getenv in Go, and in bash a JSON text
// made by jq from the environment (never from arguments, which other users
// can see). Before its first call the code checks every such variable and
// stops, with a non-zero exit status and a message naming those unset or
// empty. Each output is redacted before it is compared or printed: each
// secret's value is replaced by its placeholder, by the recording's rule
// (values of recording.MinSecretInText bytes or more anywhere in a string,
// shorter ones only as a whole string; object keys too), so a recorded output
// that holds a placeholder compares equal and a failure shows placeholders,
// never a secret; a test's unexpected error is shown redacted too. The anonymous placeholder recording.Redacted cannot be
// restored: it is sent as that text, with a comment. An exported project's
// README lists the variables.
//
// # Hostile recordings
//
// A recording is untrusted input. Generate refuses one that
// recording.Validate refuses. Every recorded string reaches the code as a
// literal escaped for its language, or inside a comment, a docstring or
// Markdown escaped for it (line breaks, "*/", quotes and backslashes), or as
// an identifier of letters, digits and underscores; file names are made
// safe as one path element. Go projects keep input files under testdata/fixtures, which
// the go command never builds. cURL code percent-encodes the api_name and the
// server's event id in URLs.
//
// # Running from anywhere
//
// Generated code finds its input files from its own folder, not the working
// one: Python through __file__, JavaScript through import.meta.url, Go
// through runtime.Caller, bash through BASH_SOURCE. So "pytest
// out/test_replay.py" or "go run ./out" work from the folder above too. The
// Go test's header and README say "go test -count=1": a cached pass says
// nothing of a live app.
//
// # Layout
//
// Python is laid out as black (26.x) leaves it; JavaScript is ESM for Node
// 20+; Go goes through jennifer and gofmt; bash quotes every value in single
// quotes.
package codegen
