// classify.js against the vectors recorder/classify_test.go checks too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { classify, wanted } from "../lib/classify.js";

const vectors = JSON.parse(
  readFileSync(new URL("../../recorder/testdata/classify.json", import.meta.url), "utf8"),
);

test("classify agrees with the shared vectors", () => {
  assert.ok(vectors.length >= 30, `only ${vectors.length} vectors`);
  for (const v of vectors) {
    assert.equal(classify(v.method, v.url), v.kind, `classify(${JSON.stringify(v.method)}, ${JSON.stringify(v.url)})`);
    assert.equal(wanted(v.method, v.url), v.kind !== "other", `wanted(${v.method}, ${JSON.stringify(v.url)})`);
  }
});

test("classify refuses what is not a string", () => {
  assert.equal(classify("POST", undefined), "other");
  assert.equal(classify(undefined, "http://h/queue/join"), "other");
  assert.equal(classify("POST", { toString: () => "http://h/queue/join" }), "other");
});
