// The extension's side of the handshake of docs/extension-protocol.md:
// pairing codes, nonces and the HMAC-SHA256 proofs, with WebCrypto. Pure
// functions of their inputs (the random nonce can be given), tested against
// internal/relay/testdata/handshake.json.

export const VERSION = 1;

const enc = new TextEncoder();
const crockford = /^[0-9A-HJKMNP-TV-Z]*$/;

/**
 * normaliseCode is the pairing code as the backend compares it: letters
 * upper-cased, everything but [0-9A-Z] removed ("7kq2m-4xvzp…" → "7KQ2M4XVZP…").
 * Only ASCII letters are upper-cased, as the backend does.
 * @param {string} code
 */
export function normaliseCode(code) {
  return String(code)
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(/[^0-9A-Z]/g, "");
}

/**
 * checkCode returns the normalised code, or throws an Error that says what
 * is wrong with what the user pasted.
 * @param {string} code
 */
export function checkCode(code) {
  const c = normaliseCode(code);
  if (c.length === 0) {
    throw new Error("enter the pairing code that `gradiorec serve` shows (26 letters and digits, in groups of five)");
  }
  if (!crockford.test(c)) {
    throw new Error("that is not a pairing code: it never holds the letters I, L, O or U (did you type 1 or 0?); copy it from `gradiorec serve`");
  }
  if (c.length !== 26) {
    throw new Error(`the pairing code has 26 letters and digits, this has ${c.length}: copy it again from \`gradiorec serve\``);
  }
  return c;
}

/** base64url is the unpadded base64url of bytes. */
export function base64url(bytes) {
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** fromBase64url decodes unpadded (or padded) base64url. */
export function fromBase64url(s) {
  return fromBase64(s.replace(/-/g, "+").replace(/_/g, "/"));
}

/** base64 is the standard, padded base64 of bytes. */
export function base64(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** fromBase64 decodes standard base64 (padding optional). */
export function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** randomID is n random bytes as unpadded base64url. */
export function randomID(n) {
  return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

/** newNonce is 32 random bytes as unpadded base64url. */
export function newNonce() {
  return randomID(32);
}

const nonceRE = /^[A-Za-z0-9_-]{43}$/;
const installRE = /^[A-Za-z0-9_-]{16,64}$/;

async function hmac(key, lines) {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(lines.join("\n"))));
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * proof is HMAC-SHA256(key, lines joined with "\n") as lowercase hex.
 * @param {Uint8Array} key
 * @param {string[]} lines
 */
export async function proof(key, lines) {
  return hex(await hmac(key, lines));
}

/**
 * browserName is a short description of the browser for the handshake:
 * printable ASCII, at most 200 characters.
 */
export function browserName(userAgent) {
  const s = String(userAgent || "unknown browser").replace(/[^\x20-\x7e]/g, "?");
  return s.slice(0, 200);
}

/**
 * answer is the client side of the handshake: given the backend's challenge
 * and either the stored secret (hello) or the pairing code the user typed
 * (pair), it returns the message to send, the secret (derived when pairing)
 * and the nonces that the welcome's proof covers. It throws an Error on a
 * challenge that is not one.
 *
 * @param {object} challenge the backend's first message, as parsed
 * @param {{install: string, browser: string, secret?: Uint8Array, code?: string, nonce?: string}} with
 * @returns {Promise<{message: object, secret: Uint8Array, serverNonce: string, clientNonce: string}>}
 */
export async function answer(challenge, { install, browser, secret, code, nonce }) {
  if (!challenge || challenge.t !== "challenge") {
    throw new Error("the program on that port did not start a gradiorec handshake: check the port `gradiorec serve` shows");
  }
  if (challenge.v !== VERSION) {
    throw new Error(`gradiorec speaks version ${JSON.stringify(challenge.v)} of the extension protocol, this extension ${VERSION}: update the older of the two`);
  }
  const sn = challenge.nonce;
  if (typeof sn !== "string" || !nonceRE.test(sn)) {
    throw new Error("the backend's challenge is malformed: check that the port is gradiorec's");
  }
  if (!installRE.test(install)) throw new Error("the extension's install id is malformed: reinstall the extension");
  const cn = nonce ?? newNonce();
  const b = browserName(browser);
  if (code !== undefined) {
    const c = enc.encode(checkCode(code));
    const p = await proof(c, ["gradiorec pair v1", sn, cn, install]);
    const s = await hmac(c, ["gradiorec secret v1", sn, cn, install]);
    return {
      message: { t: "pair", v: VERSION, install, browser: b, nonce: cn, proof: p },
      secret: s,
      serverNonce: sn,
      clientNonce: cn,
    };
  }
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw new Error("not paired with this gradiorec: paste the pairing code it shows");
  }
  const p = await proof(secret, ["gradiorec client v1", sn, cn]);
  return {
    message: { t: "hello", v: VERSION, install, browser: b, nonce: cn, proof: p },
    secret,
    serverNonce: sn,
    clientNonce: cn,
  };
}

/**
 * checkWelcome reports whether msg is the backend's welcome with the proof
 * that it holds the secret: HMAC(S, "gradiorec server v1", SN, CN).
 * @param {object} msg
 * @param {{secret: Uint8Array, serverNonce: string, clientNonce: string}} hs
 */
export async function checkWelcome(msg, { secret, serverNonce, clientNonce }) {
  if (!msg || msg.t !== "welcome" || msg.v !== VERSION || typeof msg.proof !== "string") return false;
  if (!/^[0-9a-f]{64}$/.test(msg.proof)) return false;
  const want = await proof(secret, ["gradiorec server v1", serverNonce, clientNonce]);
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ msg.proof.charCodeAt(i);
  return diff === 0;
}
