// Benchmark the official JavaScript client, @gradio/client, against the echo app.
//
//   node official.mjs <url> <connects> <calls> <concurrent-calls> <in-flight>
//
// Prints one JSON object: connect times, sequential call latencies and the
// wall time of the concurrent batch, all in seconds. The Go harness
// (bench/clients) runs it beside the Go client and prints the ratios. The
// client is imported from the project's pinned copy (testdata/node), whose
// path the harness passes in GRADIO_CLIENT_JS.
const { Client } = await import(process.env.GRADIO_CLIENT_JS);

const [url, connects, calls, batch, inFlight] = process.argv.slice(2);
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

const connect = [];
for (let i = 0; i < Number(connects); i++) {
  const start = process.hrtime.bigint();
  const client = await Client.connect(url);
  connect.push(seconds(start));
  client.close();
}

const client = await Client.connect(url);
await client.predict("/echo", { text: "warm-up" });
const sequential = [];
for (let i = 0; i < Number(calls); i++) {
  const start = process.hrtime.bigint();
  const out = await client.predict("/echo", { text: `call ${i}` });
  sequential.push(seconds(start));
  if (out.data[0] !== `call ${i}`) throw new Error(`unexpected output ${JSON.stringify(out.data)}`);
}

let next = 0;
const worker = async () => {
  while (next < Number(batch)) {
    const i = next++;
    const out = await client.predict("/echo", { text: `c${i}` });
    if (out.data[0] !== `c${i}`) throw new Error(`unexpected output ${JSON.stringify(out.data)}`);
  }
};
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: Number(inFlight) }, worker));
const concurrent = seconds(start);
client.close();
process.stdout.write(JSON.stringify({ connect, sequential, concurrent }));
process.exit(0);
