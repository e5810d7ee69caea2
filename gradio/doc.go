// Package gradio is a client for Gradio apps (Gradio 4.x from 4.9, 5.x and
// 6.x): it connects to an app or a Hugging Face Space, describes its
// endpoints, calls them, follows queued jobs and moves files. It speaks the
// same protocol as the official Python (gradio_client) and JavaScript
// (@gradio/client) clients and imports only the standard library.
//
// # Connecting and calling
//
//	c, err := gradio.Connect(ctx, "http://127.0.0.1:7860") // or "owner/space"
//	if err != nil { ... }
//	defer c.Close()
//	res, err := c.Predict(ctx, "/calculate", 3, "add", 4)
//	fmt.Println(res.Value()) // 7
//
// Arguments are positional, or keyword arguments in a Named as the last
// argument, or both. Parameters left out take the defaults that
// GET <api>/info reports; unknown or missing required names are errors.
// State inputs (and other components the API skips, such as buttons) are
// sent as null, and State outputs are dropped from results, as the official
// clients do, so arguments and outputs line up with what ViewAPI lists.
//
// Endpoints are addressed by api name ("/calculate" or "calculate") with
// Client.Predict and Client.Submit, or through an *Endpoint from
// Client.Endpoint (by name) or Client.EndpointByIndex (by fn_index, the
// dependency id of the app's config, which also reaches private and unnamed
// dependencies that the official clients refuse).
//
// ViewAPI describes the endpoints (JSON-friendly, and as text in
// gradio_client's view_api format). Tools that capture an app's config and
// /info themselves build the same description with ParseConfig and NewAPI.
//
// Queued endpoints go through POST <api>/queue/join and the session's shared
// GET <api>/queue/data event stream; endpoints with queue=False go through
// POST <api>/run/predict with their fn_index.
//
// # Jobs and updates
//
// Submit returns a *Job: its Updates method iterates over queue estimates,
// start, gr.Progress, gr.Info/gr.Warning logs and every intermediate output
// of a generator (diffs applied), ending with the completion. The job keeps
// its history, so each call of Updates replays it from the start and then
// follows new updates; Outputs lists the intermediate outputs so far;
// Result waits for the end. Cancel asks the server to stop the job, which
// then ends with ErrCancelled; ending the context given to Submit does the
// same. All queued jobs of a Client share one event stream, routed by event
// id.
//
// # Values
//
// Outputs are decoded JSON: string, float64, bool, nil, []any and
// map[string]any. Numbers are float64 by default, which is what the
// JavaScript client yields and what compares naturally with Python's ints
// and floats; WithJSONNumber keeps their exact text as json.Number (for
// 64-bit integers or byte-exact comparisons). FileData objects (detected by
// meta._type == "gradio.FileData") become *FileData, at any depth, with
// methods to download them. gr.update(...) outputs stay maps.
//
// Inputs are any values encoding/json can marshal. Files are given with
// File (a local path), FileBytes (a name and bytes) or FileURL (passed
// through for the server to fetch): local files and bytes are uploaded with
// POST <api>/upload before the call and checked against the app's
// max_file_size. A *FileData from an earlier output can be passed back as
// is.
//
// # Sessions
//
// A Client is one session (one session_hash), so gr.State persists across
// its calls; ResetSession starts a new one. The server ties a session's State
// and unload events to GET <api>/heartbeat/<session_hash>. The client holds
// that stream open, reconnecting as needed, when the config's
// connect_heartbeat says so (Gradio sets it for apps with State, unload
// events or streams; a missing flag counts as true), which is gradio_client
// 2.x's rule; unlike gradio_client it opens it at the session's first call
// rather than at Connect, so a client that only reads the schema costs the
// server nothing. It closes on Close, and for a session replaced by
// ResetSession once that session's last job ends.
//
// # Authentication
//
// WithToken sends a Hugging Face token the way gradio_client does
// (x-hf-authorization: Bearer ..., leaving Authorization to the app's own
// auth); WithAmbientToken does the same for a token taken from the
// environment, but only to apps served by Hugging Face over https
// (huggingface.co, *.huggingface.co, *.hf.space); WithAuth logs in to apps
// launched with auth=...; WithHeader adds any header. The token and the
// WithHeader headers never follow a redirect to another origin, nor go with
// a download from another host. Refusals wrap ErrUnauthorized and say
// whether credentials were missing, withheld (ErrTokenWithheld) or wrong.
//
// # Limits
//
// No request waits without bound on a silent app. WithConnectTimeout
// (default 10s) bounds connecting, sending a request and waiting for its
// response headers; WithReadTimeout (default 60s, above Gradio's 15-second
// heartbeat on the event stream) bounds each silence of a response, and the
// wait for the answer of an endpoint outside the queue; both fail with a
// *TimeoutError. WithMaxMessageSize (default 64 MiB) bounds one server-sent
// event and any response read whole (ErrTooLarge). A call's total time is
// bounded only by its context.
//
// # Errors
//
// Failures of the app's function are *AppError (gr.Error's message and
// title); validator rejections are *ValidationError; unexpected HTTP
// statuses are *HTTPError. Sentinels (ErrNotGradio, ErrUnauthorized,
// ErrQueueFull, ErrConnectionLost, ErrUnknownEndpoint, ErrCancelled,
// ErrClosed, ErrFileTooLarge, ErrTooLarge, ErrTokenWithheld) are matched
// with errors.Is; timeouts are *TimeoutError. Errors are
// wrapped with the operation and endpoint, e.g. "predict /add: app error:
// ...". Every wait honours its context.
//
// # Not supported
//
// Streaming inputs (.stream() listeners fed with chunks), gr.render's
// dynamic dependencies, the OAuth token body field and the pre-4.9 protocols
// ("ws", "sse") are not implemented. The HTML-page config fallback sees only
// the page's own components on multi-page apps.
package gradio
