// Package relay is the backend's end of gradiorec's browser extension: a
// WebSocket server on loopback that pairs and authenticates the extension
// and hands its messages to a Handler, as docs/extension-protocol.md
// describes.
//
// Listen starts a Server on 127.0.0.1. It serves only GET /v1/ext with a
// WebSocket upgrade, and refuses before the upgrade a request whose Host is
// not 127.0.0.1:PORT or localhost:PORT (DNS rebinding) or whose Origin is
// not the pinned extension's (a web page, even one served from loopback
// such as a local Gradio app), with no CORS headers ever. At most
// MaxPending connections may be in the handshake at once (others get 503)
// and each must finish it within HandshakeTimeout, so a flood does not
// disturb the extensions already connected.
//
// The handshake is mutual: the user pairs an extension install once with a
// one-time code from NewCode, and both sides derive a per-install secret
// from it, which a Store keeps (FileStore for gradiorec serve and the
// desktop app, MemoryStore for a single recording). Later connections
// prove the secret with HMACs over fresh nonces; the secret never crosses
// the wire. Nothing reaches the Handler before the handshake succeeds.
//
// After the handshake every frame must be a text frame holding one JSON
// object with a string "t", at most MaxFrame bytes; anything else closes
// that connection. Messages of the protocol's types go to Handler.Message
// in order, "pong" answers the relay's pings, and other types are answered
// with an "unknown" error and ignored. A Peer is one authenticated
// connection: Send, Reply and Close talk back to the extension.
//
// The package relaytest plays the extension in Go tests.
package relay
