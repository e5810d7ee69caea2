// protocol.js against the handshake vectors the Go backend is tested with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  answer,
  base64,
  base64url,
  browserName,
  checkCode,
  checkWelcome,
  fromBase64,
  fromBase64url,
  newNonce,
  normaliseCode,
} from "../lib/protocol.js";

const hs = JSON.parse(readFileSync(new URL("../../internal/relay/testdata/handshake.json", import.meta.url), "utf8"));
const challenge = { t: "challenge", v: 1, nonce: hs.server_nonce };
const fromHex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16));

test("the code shown normalises to the code", () => {
  assert.equal(normaliseCode(hs.code_shown), hs.code);
  assert.equal(checkCode(` ${hs.code_shown}\n`), hs.code);
  assert.throws(() => checkCode(""), /enter the pairing code/);
  assert.throws(() => checkCode("7KQ2M-4XVZP"), /26 letters and digits, this has 10/);
  assert.throws(() => checkCode(hs.code.replace("0", "O")), /never holds the letters I, L, O or U/);
  // Only ASCII letters are upper-cased: "ß" does not become "SS", nor "ı" "I".
  assert.equal(normaliseCode("aßbıc"), "ABC");
});

test("pairing: proof and derived secret", async () => {
  const out = await answer(challenge, { install: hs.install, browser: "Chromium 156", code: hs.code_shown, nonce: hs.client_nonce });
  assert.deepEqual(out.message, {
    t: "pair", v: 1, install: hs.install, browser: "Chromium 156", nonce: hs.client_nonce, proof: hs.pair_proof,
  });
  assert.deepEqual(out.secret, fromHex(hs.secret_hex));
  assert.equal(out.serverNonce, hs.server_nonce);
  assert.equal(out.clientNonce, hs.client_nonce);
});

test("hello: proof from the stored secret, and the welcome's proof", async () => {
  const secret = fromHex(hs.secret_hex);
  const out = await answer(challenge, { install: hs.install, browser: "b", secret, nonce: hs.client_nonce });
  assert.deepEqual(out.message, { t: "hello", v: 1, install: hs.install, browser: "b", nonce: hs.client_nonce, proof: hs.client_proof });
  assert.equal(await checkWelcome({ t: "welcome", v: 1, server: "gradiorec test", proof: hs.server_proof }, out), true);
  // Anything else is no welcome: a squatter cannot produce the proof.
  const bad = hs.server_proof.replace(/^./, (c) => (c === "a" ? "b" : "a"));
  for (const msg of [
    { t: "welcome", v: 1, proof: bad },
    { t: "welcome", v: 1, proof: hs.server_proof.toUpperCase() },
    { t: "welcome", v: 1, proof: hs.server_proof.slice(2) },
    { t: "welcome", v: 2, proof: hs.server_proof },
    { t: "welcome", v: 1, proof: hs.client_proof },
    { t: "welcome", v: 1 },
    { t: "challenge", v: 1, proof: hs.server_proof },
    null,
  ]) {
    assert.equal(await checkWelcome(msg, out), false, JSON.stringify(msg));
  }
  // The proof is bound to both nonces.
  assert.equal(await checkWelcome({ t: "welcome", v: 1, proof: hs.server_proof }, { ...out, clientNonce: newNonce() }), false);
});

test("a fresh nonce is 32 random bytes, unpadded base64url", async () => {
  const a = newNonce();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(fromBase64url(a).length, 32);
  assert.notEqual(a, newNonce());
  const out = await answer(challenge, { install: hs.install, browser: "b", secret: new Uint8Array(32) });
  assert.match(out.message.nonce, /^[A-Za-z0-9_-]{43}$/);
});

test("a hostile or mistaken challenge is refused with what to do", async () => {
  const w = { install: hs.install, browser: "b", secret: new Uint8Array(32) };
  await assert.rejects(answer({ t: "hello" }, w), /did not start a gradiorec handshake/);
  await assert.rejects(answer(null, w), /did not start a gradiorec handshake/);
  await assert.rejects(answer({ ...challenge, v: 2 }, w), /version 2 .* update the older/);
  for (const nonce of ["", "short", hs.server_nonce + "A", hs.server_nonce.replace("A", "+"), 42]) {
    await assert.rejects(answer({ ...challenge, nonce }, w), /malformed/);
  }
  await assert.rejects(answer(challenge, { ...w, secret: undefined }), /not paired .* pairing code/);
  await assert.rejects(answer(challenge, { ...w, install: "short" }), /install id/);
});

test("browser names are short printable ASCII", () => {
  assert.equal(browserName("x".repeat(300)).length, 200);
  assert.equal(browserName("Chromium\u00e9\n"), "Chromium??");
});

test("base64 round trips", () => {
  const b = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255);
  assert.deepEqual(fromBase64(base64(b)), b);
  assert.deepEqual(fromBase64url(base64url(b)), b);
  assert.doesNotMatch(base64url(b), /[+/=]/);
});
