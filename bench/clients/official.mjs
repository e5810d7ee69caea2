// Benchmark the official JavaScript client, @gradio/client, against the echo app.
//
//   node official.mjs <url>
//   node official.mjs <url> <connects> <calls> <concurrent-calls> <in-flight>
//
// With the URL alone it serves the Go harness (bench/clients): it connects
// one client for the calls and then runs commands read from stdin, one per
// line, answering each with one JSON line on stdout (times in seconds):
//
//   warmup <calls> <in-flight>   <calls> sequential calls, then one batch of
//                                <in-flight> concurrent calls  -> {"errors", "error"}
//   connect <n>                  <n> new clients, each closed   -> {"times": [...]}
//   sequential <n>               <n> calls one after the other  -> {"latencies": [...],
//                                                                   "wall", "errors", "error"}
//   concurrent <n> <in-flight>   <n> calls, <in-flight> at once -> {"wall", "ok",
//                                                                   "errors", "error"}
//
// The first line it prints, once connected, is {"ready": true, "client": ...}.
// The harness sends the same commands to every client in interleaved rounds,
// so the workloads are identical (official.py is the Python twin). A failed
// call (an exception, or an output that is not the input) counts as an error
// and is left out of the latencies.
//
// With all five arguments it runs one warm-up, the three phases once and
// prints one JSON object {connect: [...], sequential: [...], concurrent: s}.
//
// The client is imported from the project's pinned copy (testdata/node),
// whose path the harness passes in GRADIO_CLIENT_JS.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const clientURL = pathToFileURL(process.env.GRADIO_CLIENT_JS);
const { Client } = await import(clientURL);
const { version } = JSON.parse(readFileSync(new URL("../package.json", clientURL), "utf8"));

const API = "/echo";
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

// call calls /echo once and returns null when it echoed text, else the problem.
async function call(client, text) {
  try {
    const out = await client.predict(API, { text });
    if (out.data[0] !== text) return `unexpected output ${JSON.stringify(out.data)}`;
    return null;
  } catch (e) {
    return `${e?.name ?? "Error"}: ${e?.message ?? JSON.stringify(e)}`;
  }
}

async function connect(url, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const client = await Client.connect(url);
    times.push(seconds(start));
    client.close();
  }
  return { times };
}

async function sequential(client, n) {
  const latencies = [];
  let errors = 0;
  let first = "";
  const wall = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const problem = await call(client, `call ${i}`);
    const took = seconds(start);
    if (problem === null) {
      latencies.push(took);
    } else {
      errors++;
      first ||= problem;
    }
  }
  return { latencies, wall: seconds(wall), errors, error: first };
}

async function concurrent(client, n, inFlight) {
  let next = 0;
  let errors = 0;
  let first = "";
  const worker = async () => {
    while (next < n) {
      const problem = await call(client, `c${next++}`);
      if (problem !== null) {
        errors++;
        first ||= problem;
      }
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { wall: seconds(start), ok: n - errors, errors, error: first };
}

async function warmup(client, calls, inFlight) {
  const seq = await sequential(client, calls);
  const conc = await concurrent(client, inFlight, inFlight);
  return { errors: seq.errors + conc.errors, error: seq.error || conc.error };
}

async function serve(url) {
  const client = await Client.connect(url);
  const about = `@gradio/client ${version} (Node ${process.version})`;
  process.stdout.write(JSON.stringify({ ready: true, client: about }) + "\n");
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    const args = rest.map(Number);
    let out;
    switch (cmd) {
      case "warmup":
        out = await warmup(client, ...args);
        break;
      case "connect":
        out = await connect(url, ...args);
        break;
      case "sequential":
        out = await sequential(client, ...args);
        break;
      case "concurrent":
        out = await concurrent(client, ...args);
        break;
      default:
        out = { fatal: `unknown command ${JSON.stringify(cmd)}` };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
  client.close();
}

async function once(url, connects, calls, batch, inFlight) {
  const { times } = await connect(url, connects);
  const client = await Client.connect(url);
  await warmup(client, 10, inFlight);
  const seq = await sequential(client, calls);
  const conc = await concurrent(client, batch, inFlight);
  client.close();
  process.stdout.write(JSON.stringify({ connect: times, sequential: seq.latencies, concurrent: conc.wall }));
}

const [url, ...numbers] = process.argv.slice(2);
if (numbers.length === 0 && url) {
  await serve(url);
} else if (numbers.length === 4) {
  await once(url, ...numbers.map(Number));
} else {
  process.stderr.write("usage: node official.mjs <url> [<connects> <calls> <concurrent-calls> <in-flight>]\n");
  process.exit(2);
}
process.exit(0);
