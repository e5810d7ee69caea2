// classify and wanted mirror recorder/source.go: what a request is to
// gradiorec's capture core, by method and URL. The extension relays only the
// requests the core uses. Go's net/url.Parse decides which strings are URLs
// and what their path is (percent-decoded); parseGoURL below follows it byte
// for byte, so that both sides agree on every string, hostile ones included.
// Shared test vectors: recorder/testdata/classify.json.

/** @typedef {"join" | "data" | "run" | "upload" | "cancel" | "other"} Kind */

/**
 * classify tells what a request is: "join" (POST …/queue/join), "data" (GET
 * …/queue/data), "run" (POST …/run/<name>), "upload" (POST …/upload), "cancel"
 * (POST …/cancel) or "other". The path may carry a mount path and the
 * /gradio_api prefix (absent in Gradio 4).
 * @param {string} method
 * @param {string} url
 * @returns {Kind}
 */
export function classify(method, url) {
  if (typeof method !== "string" || typeof url !== "string") return "other";
  const u = parseGoURL(utf8Bytes(url));
  if (u === null || (u.scheme !== "http" && u.scheme !== "https")) return "other";
  const p = u.path.endsWith("/") ? u.path.slice(0, -1) : u.path;
  if (method === "POST") {
    if (p.endsWith("/queue/join")) return "join";
    if (p.endsWith("/upload")) return "upload";
    if (p.endsWith("/cancel")) return "cancel";
    const i = p.lastIndexOf("/run/");
    if (i >= 0 && !p.slice(i + "/run/".length).includes("/")) return "run";
  } else if (method === "GET") {
    if (p.endsWith("/queue/data")) return "data";
  }
  return "other";
}

/**
 * wanted reports whether gradiorec's capture core uses a request.
 * @param {string} method
 * @param {string} url
 */
export function wanted(method, url) {
  return classify(method, url) !== "other";
}

// utf8Bytes gives the UTF-8 bytes of s as a string of code units 0–255, so
// that indexes and comparisons work on bytes as in Go.
function utf8Bytes(s) {
  const b = new TextEncoder().encode(s);
  let out = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    out += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return out;
}

// Character classes of Go's net/url (shouldEscape) for the modes used here.
const alnum = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const unhex = (c) => (c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x41 + 10 : c - 0x61 + 10);
const hostExtra = new Set([..."!$&'()*+,;=:[]<>\"-_.~"].map((c) => c.charCodeAt(0)));
const hostByteOK = (c) => alnum(c) || hostExtra.has(c); // !shouldEscape(c, encodeHost|encodeZone)
const userinfoExtra = new Set([..."-._:~!$&'()*+,;=%@"].map((c) => c.charCodeAt(0)));

// unescape is Go's url.unescape for the modes "path", "fragment", "user",
// "host" and "zone": the decoded byte string, or null where Go errs.
function unescape(s, mode) {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return null;
      const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
      const pct25 = s.slice(i, i + 3) === "%25";
      if (mode === "host" && unhex(s.charCodeAt(i + 1)) < 8 && !pct25) return null;
      if (mode === "zone" && !pct25 && v !== 0x20 && !hostByteOK(v)) return null;
      out += String.fromCharCode(v);
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && c < 0x80 && !hostByteOK(c)) return null;
    out += s[i];
    i++;
  }
  return out;
}

// parseGoURL follows Go's url.Parse (Go 1.26) on a byte string: it returns
// the lower-cased scheme and the decoded path, or null where Go returns an
// error.
export function parseGoURL(raw) {
  const hash = raw.indexOf("#");
  const frag = hash >= 0 ? raw.slice(hash + 1) : "";
  if (hash >= 0) raw = raw.slice(0, hash);
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return null; // a control character
  }
  if (raw === "*") return { scheme: "", path: "*" };
  const sch = getScheme(raw);
  if (sch === null) return null;
  const scheme = sch.scheme.toLowerCase();
  let rest = sch.rest;
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else if (rest.includes("?")) {
    rest = rest.slice(0, rest.indexOf("?"));
  }
  if (!rest.startsWith("/")) {
    if (scheme !== "") return fragmentOK(frag) ? { scheme, path: "" } : null; // opaque
    const segment = rest.includes("/") ? rest.slice(0, rest.indexOf("/")) : rest;
    if (segment.includes(":")) return null;
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    if (!authorityOK(scheme, authority)) return null;
  }
  const path = unescape(rest, "path");
  if (path === null || !fragmentOK(frag)) return null;
  return { scheme, path };
}

function fragmentOK(frag) {
  return frag === "" || unescape(frag, "fragment") !== null;
}

function getScheme(raw) {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return null; // missing protocol scheme
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

function authorityOK(scheme, authority) {
  const at = authority.lastIndexOf("@");
  if (!hostOK(scheme, at < 0 ? authority : authority.slice(at + 1))) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  for (let i = 0; i < userinfo.length; i++) {
    const c = userinfo.charCodeAt(i);
    if (!alnum(c) && !userinfoExtra.has(c)) return false;
  }
  const colon = userinfo.indexOf(":");
  if (colon < 0) return unescape(userinfo, "user") !== null;
  return unescape(userinfo.slice(0, colon), "user") !== null && unescape(userinfo.slice(colon + 1), "user") !== null;
}

function validOptionalPort(port) {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function hostOK(scheme, host) {
  const open = host.lastIndexOf("[");
  if (open > 0) return false;
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) return false;
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort) || unescape(colonPort, "host") === null) return false;
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf("%25");
    let name;
    if (zone >= 0) {
      const a = unescape(hostname.slice(0, zone), "host");
      const b = unescape(hostname.slice(zone), "zone");
      if (a === null || b === null) return false;
      name = a + b;
    } else {
      name = unescape(hostname, "host");
      if (name === null) return false;
    }
    return isIPv6Literal(name);
  }
  let i = host.indexOf(":");
  if (i >= 0) {
    // Go 1.26 allows one colon only in http(s) hosts (urlstrictcolons).
    if (scheme !== "http" && scheme !== "https") i = host.lastIndexOf(":");
    if (!validOptionalPort(host.slice(i))) return false;
  }
  return unescape(host, "host") !== null;
}

// isIPv6Literal: netip.ParseAddr(s) succeeds and is not an IPv4 address.
function isIPv6Literal(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ":") return parseIPv6(s);
    if (s[i] === "." || s[i] === "%") return false; // IPv4 (refused in brackets) or no address
  }
  return false;
}

function ipv4FieldsOK(s) {
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && val === 0) return false;
      val = val * 10 + c - 0x30;
      digits++;
      if (val > 255) return false;
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return false;
      if (pos === 3) return false;
      pos++;
      val = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return pos >= 3;
}

function parseIPv6(s) {
  const pct = s.indexOf("%");
  if (pct >= 0) {
    if (pct === s.length - 1) return false; // empty zone
    s = s.slice(0, pct);
  }
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return true;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s.charCodeAt(off);
      if (!isHex(c)) break;
      acc = acc * 16 + unhex(c);
      if (off > 3 || acc > 0xffff) return false;
    }
    if (off === 0) return false;
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (!ipv4FieldsOK(s)) return false;
      s = "";
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":" || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}
