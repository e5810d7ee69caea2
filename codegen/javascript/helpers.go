package javascript

// hfTokenHelper gives the client HF_TOKEN only for an app on Hugging Face
// (the rule of gradio.WithAmbientToken, and a Space id, which @gradio/client
// resolves on huggingface.co), or anywhere with GRADIO_TOKEN_ANY_HOST=1.
const hfTokenHelper = `
// hfToken returns HF_TOKEN if APP_URL is on Hugging Face: a Space id, or an
// https URL of huggingface.co, *.huggingface.co or *.hf.space. Any other host
// gets no token, so that it cannot collect it, unless GRADIO_TOKEN_ANY_HOST=1.
function hfToken() {
  const onHF =
    /^([\w.-]+\/[\w.-]+|https:\/\/(([a-z0-9-]+\.)*huggingface\.co|([a-z0-9-]+\.)+hf\.space)(:443)?([/?#].*)?)$/is;
  if (onHF.test(APP_URL) || process.env.GRADIO_TOKEN_ANY_HOST === "1") {
    return process.env.HF_TOKEN;
  }
  return undefined;
}
`

// fixtureHelper reads an input file: handle_file with a path would upload
// it under the name "blob" in Node, and the app would see that name.
const fixtureHelper = `
// fixture reads a recorded input file as a File, which @gradio/client
// uploads under its own name (given a path, handle_file sends "blob"). The
// path is relative to this file's folder, so the code runs from any working
// folder.
async function fixture(path) {
  const data = await readFile(join(import.meta.dirname, path));
  return new File([data], basename(path));
}
`

// fixtureNameHelper is fixtureHelper for files all in one folder, DIR (a
// string literal, "/fixtures/"): given the name, it reads DIR/name.
const fixtureNameHelper = `
// fixture reads a recorded input file, by its name in the folder of them
// beside this module (whatever the working folder), as a File, which
// @gradio/client uploads under that name (given a path, handle_file sends
// "blob").
const fixture = async (name) =>
` + fixtureNameLine + `
`

// fixtureNameLine is the body of fixtureNameHelper, on its own line.
const fixtureNameLine = `  new File([await readFile(import.meta.dirname + DIR + name)], name);`

// checkHelper compares an output with the recorded one.
const checkHelper = `
// check asserts that an output equals the recorded one; a failure names it.
function check(what, got, want) {
  try {
    assert.deepStrictEqual(got, want);
  } catch (error) {
    const message = error.message;
    error.message = ` + "`${what}: ${message}`" + `;
    error.stack = error.stack?.replace(message, error.message);
    throw error;
  }
}
`

// maskedHelper nulls the parts of an output that the recording masks.
const maskedHelper = `
// masked returns value with null at each path (keys and array indexes) it
// has: the parts of an output that the recording masks, as they differ on
// every call.
function masked(value, ...paths) {
  for (const path of paths) value = mask(value, path);
  return value;
}

function mask(value, path) {
  if (path.length === 0) return null;
  const [key, ...rest] = path;
  if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) {
    return value;
  }
  const copy = Array.isArray(value) ? [...value] : { ...value };
  Object.defineProperty(copy, key, {
    value: mask(value[key], rest),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}
`

// connectHelper connects a client and closes it with its heartbeat.
const connectHelper = `
// connect connects a new client, one per recorded session so that gr.State
// carries over, and returns it with close, which ends it: client.close()
// ends only the client's latest stream, and the heartbeat's controller (set
// while connecting) would keep Node running.
async function connect() {
  const client = await Client.connect(APP_URL, OPTIONS);
  const heartbeat = client.abort_controller;
  const close = () => {
    client.close();
    heartbeat?.abort();
  };
  return { client, close };
}
`

// showHelper prints the final data of a generator called with event data
// (which predict, and so generate, cannot send), or with --stream each data
// message; DATA stands for the printed expression.
const showHelper = `
// show prints a job's final data, or with --stream each of its data messages;
// it throws like predict when the call fails.
async function show(job) {
  const stream = process.argv.includes("--stream");
  const print = (msg) => console.log(JSON.stringify(DATA));
  let last;
  for await (const msg of job) {
    if (msg.stage === "error") throw new Error(msg.message ?? "error");
    if (msg.type !== "data") continue;
    if (stream) print(msg);
    last = msg;
  }
  if (!stream && last) print(last);
}
`

// runHelper makes a test's call with event data: predict cannot send it.
// The call is not a generator (those are iterated in place), so its first
// data message is its result.
const runHelper = `
// run calls an endpoint through submit, which can send the event data of a
// UI event (predict cannot), and resolves to its result; it rejects like
// predict when the call fails.
async function run(client, endpoint, data, eventData, triggerId) {
  for await (const msg of client.submit(endpoint, data, eventData, triggerId)) {
    if (msg.stage === "error") throw new Error(msg.message ?? "error");
    if (msg.type === "data") return msg;
  }
}
`

// runPrintHelper is a script's runHelper: it prints the result; DATA
// stands for the printed expression.
const runPrintHelper = `
// run calls an endpoint through submit, which can send the event data of a
// UI event (predict cannot), and prints its result as JSON; it throws like
// predict when the call fails.
async function run(client, endpoint, data, eventData, triggerId) {
  for await (const msg of client.submit(endpoint, data, eventData, triggerId)) {
    if (msg.stage === "error") throw new Error(msg.message ?? "error");
    if (msg.type === "data") return console.log(JSON.stringify(DATA));
  }
}
`

// generateHelper prints a generator's final output with predict, or its
// every output with --stream.
const generateHelper = `
const STREAM = process.argv.includes("--stream");

// generate calls a generator and prints its final output as JSON, or with
// --stream each output as it comes; it throws like predict when the call
// fails (submit's last argument asks for the status messages that say so).
async function generate(client, endpoint, data) {
  if (!STREAM) return print(await client.predict(endpoint, data));
  for await (const msg of client.submit(endpoint, data, null, null, true)) {
    if (msg.stage === "error") throw new Error(msg.message ?? "error");
    if (msg.type === "data") print(msg);
  }
}
`

// shaHelper downloads an output file and hashes it.
const shaHelper = `
// sha256 downloads an output file (with the client's headers and cookies)
// and returns the hex SHA-256 of its bytes.
async function sha256(client, file) {
  const response = await client.fetch(file.url);
  assert.ok(response.ok, ` + "`GET ${file.url}: HTTP ${response.status}`" + `);
  const bytes = Buffer.from(await response.arrayBuffer());
  return createHash("sha256").update(bytes).digest("hex");
}
`
