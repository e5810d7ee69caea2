package recorder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/recording"
)

// The HAR source: a HAR file holds every event of a request at once, so
// ImportHAR replays each entry as the events source.go names, at the times
// the entry gives (its start, its first byte, its end), in time order; the
// body of an event stream arrives as one chunk at its end.

// HAROptions configure ImportHAR.
type HAROptions struct {
	// URL is the app (its root URL) for what the HAR lacks: its /config
	// and /info answers, and the bytes of files it did not save. Requests
	// go only to this origin.
	URL string
	// Files reads the side files of a Playwright archive (recordHar with
	// content "attach"), nil when there are none.
	Files har.Attachments
	// Tool is the recording's Tool field; default "gradiorec".
	Tool string
	// MaxFileSize is as WithMaxFileSize; default DefaultMaxFileSize.
	MaxFileSize int64
}

// HARImport is what ImportHAR made of a HAR.
type HARImport struct {
	Recording *recording.Recording // its calls already redacted
	Secrets   []recording.Secret   // what to redact with when saving (recording.RedactSecrets)
	Missing   []string             // files whose bytes neither the HAR nor the app gave
	// Cut counts the responses of the app's API that the HAR holds without
	// their body (an event stream the page closed, a response the page no
	// longer waited for, and the tool that wrote the HAR kept none): their
	// calls are Incomplete, without outputs.
	Cut int
}

// Errors of ImportHAR, matched with errors.Is; each message says what to do.
var (
	ErrNoGradioTraffic = errors.New("the HAR holds no Gradio API traffic")
	ErrNoBodies        = errors.New("the HAR was saved without response bodies")
	ErrNoConfig        = errors.New("the HAR holds no Gradio config")
)

// ImportHAR builds a recording from the Gradio traffic of a HAR: one
// session per session_hash, with the app's schema from the HAR's own
// /config and /info answers (or from opts.URL), uploads from multipart
// request bodies, streams from event-stream bodies and output files from
// the HAR's downloads (or fetched from opts.URL).
func ImportHAR(ctx context.Context, h *har.HAR, opts HAROptions) (*HARImport, error) {
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	entries, err := sortedEntries(h)
	if err != nil {
		return nil, err
	}
	m, err := harApp(ctx, h, entries, opts)
	if err != nil {
		return nil, err
	}
	im := &harImporter{entries: entries, opts: opts, root: m.app.Root, downloads: map[string]*harEntry{}}
	for _, e := range entries {
		if e.Request.Method == "GET" && e.Response.Status == 200 && im.downloads[e.Request.URL] == nil {
			im.downloads[e.Request.URL] = e
		}
	}
	gradio, err := im.gradioEntries(m)
	if err != nil {
		return nil, err
	}
	c := newCapture(im.fetch, nil, opts.MaxFileSize)
	defer context.AfterFunc(ctx, c.cancel)() // a cancelled import stops its downloads
	c.setApp(m, hosts(m.app.URL, m.app.Root)...)
	for _, ev := range im.events(gradio) {
		c.handle(ev)
	}
	c.stop(time.Minute)
	rec := c.recording()
	rec.Created = entries[0].start
	if t, err := time.Parse(time.RFC3339Nano, firstPage(h).StartedDateTime); err == nil {
		rec.Created = t
	}
	rec.Tool = opts.Tool
	if rec.Tool == "" {
		rec.Tool = "gradiorec"
	}
	rec.App.Auth = rec.App.Auth || im.auth
	// What the page sent as credentials, and what was typed into password
	// boxes, before any of it is replaced.
	secrets := im.secrets()
	for i := range rec.Calls {
		secrets = append(secrets, c.secrets(&rec.Calls[i])...)
	}
	rd := recording.NewRedactor(secrets...)
	for i := range rec.Calls {
		if rec.Calls[i], err = rd.Call(&rec.App, rec.Calls[i]); err != nil {
			return nil, fmt.Errorf("redact call %d: %w", rec.Calls[i].ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.Sort(im.missing)
	return &HARImport{Recording: rec, Secrets: secrets, Missing: im.missing, Cut: im.cut}, nil
}

// harEntry is an entry with its times decoded and, once asked for, its
// response body (decoded once: base64 and archive side files cost).
type harEntry struct {
	*har.Entry
	start, firstByte, end time.Time

	once sync.Once // the core's download goroutines may ask too
	body []byte
	ok   bool
	err  error
}

// response returns the entry's response body, as har.Content.Body does.
func (e *harEntry) response(files har.Attachments) ([]byte, bool, error) {
	e.once.Do(func() { e.body, e.ok, e.err = e.Response.Content.Body(files) })
	return e.body, e.ok, e.err
}

func sortedEntries(h *har.HAR) ([]*harEntry, error) {
	out := make([]*harEntry, 0, len(h.Log.Entries))
	for i := range h.Log.Entries {
		e := &h.Log.Entries[i]
		start, err := e.Started()
		if err != nil {
			return nil, err
		}
		t := e.Timings
		wait := 0.0
		for _, ms := range []float64{t.Blocked, t.DNS, t.Connect, t.Send, t.Wait} {
			wait += max(ms, 0)
		}
		total := max(e.Time, wait)
		out = append(out, &harEntry{Entry: e, start: start, firstByte: start.Add(ms(wait)), end: start.Add(ms(total))})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the HAR has no entries (record the app's page with the network panel open, then save)", ErrNoGradioTraffic)
	}
	slices.SortStableFunc(out, func(a, b *harEntry) int { return a.start.Compare(b.start) })
	return out, nil
}

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

func firstPage(h *har.HAR) har.Page {
	if len(h.Log.Pages) > 0 {
		return h.Log.Pages[0]
	}
	return har.Page{}
}

type harImporter struct {
	entries   []*harEntry
	downloads map[string]*harEntry // the first GET answered 200, by URL
	opts      HAROptions
	root      string
	auth      bool     // a request carried Gradio's login cookie
	cookies   []string // cookie values and credentials sent to the app
	cut       int      // responses without a body (HARImport.Cut)

	mu      sync.Mutex // fetch runs in the core's download goroutines
	missing []string
}

// miss notes a file that neither the HAR nor the app gave.
func (im *harImporter) miss(rawURL string) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.missing = append(im.missing, rawURL)
}

// gradioEntries returns the entries of the app's API that the core uses,
// or says why the HAR has none, or lacks their bodies.
func (im *harImporter) gradioEntries(m *appModel) ([]*harEntry, error) {
	var out []*harEntry
	seen := map[string]bool{}
	var noBody []string
	bodies := 0 // responses of the API with a body
	for _, e := range im.entries {
		u, err := url.Parse(e.Request.URL)
		if err == nil && u.Host != "" {
			seen[u.Host] = true
		}
		if !strings.HasPrefix(e.Request.URL, m.app.Root+"/") {
			continue
		}
		im.learn(e)
		if !wanted(e.Request.Method, e.Request.URL) {
			continue
		}
		if e.Response.Status > 0 { // 0 or -1: no response (the request was cut)
			_, ok, err := e.response(im.opts.Files)
			switch {
			case err != nil:
				return nil, fmt.Errorf("%s %s: %w", e.Request.Method, e.Request.URL, err)
			case !ok && classify(e.Request.Method, e.Request.URL) == kindData:
				// A stream the page closed: Playwright and Chromium keep no
				// body of it. Its calls end without outputs (cutNote).
				im.cut++
			case !ok:
				noBody = append(noBody, e.Request.Method+" "+e.Request.URL)
			default:
				bodies++
			}
		}
		out = append(out, e)
	}
	if len(noBody) > 0 && bodies > 0 {
		// Some bodies, not all: those responses were cut (the page
		// stopped waiting for them), not left out by how the HAR was
		// saved. Their calls end without outputs, as cut streams do.
		im.cut += len(noBody)
	} else if len(noBody) > 0 {
		return nil, fmt.Errorf("%w (%d of the app's requests have none, e.g. %s): save it again with content (Chrome: Network panel, right-click, \"Save all as HAR with content\"; Playwright: recordHar with content \"embed\" or \"attach\")", ErrNoBodies, len(noBody), noBody[0])
	}
	if len(out) == 0 {
		hosts := make([]string, 0, len(seen))
		for h := range seen {
			hosts = append(hosts, h)
		}
		slices.Sort(hosts)
		return nil, fmt.Errorf("%w for the app at %s (the HAR has requests to %s): record while you use the app, with the network panel open", ErrNoGradioTraffic, m.app.Root, strings.Join(hosts, ", "))
	}
	return out, nil
}

// learn keeps the credentials an entry sent to the app, as secrets: its
// cookies (Gradio's login cookie marks an app with a login), an
// Authorization header, a login form's password.
func (im *harImporter) learn(e *harEntry) {
	for _, c := range e.Request.Cookies {
		im.cookies = append(im.cookies, c.Value)
		im.auth = im.auth || strings.HasPrefix(c.Name, "access-token")
	}
	for _, hd := range e.Request.Headers {
		switch strings.ToLower(hd.Name) {
		case "cookie":
			for _, kv := range strings.Split(hd.Value, ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(kv), "=")
				im.cookies = append(im.cookies, value)
				im.auth = im.auth || strings.HasPrefix(name, "access-token")
			}
		case "authorization":
			_, token, ok := strings.Cut(hd.Value, " ")
			if !ok {
				token = hd.Value
			}
			im.cookies = append(im.cookies, token)
		}
	}
	if e.Request.PostData != nil && pathEnds(e.Request.URL, "/login") {
		for _, p := range e.Request.PostData.Params {
			if p.Name == "password" {
				im.cookies = append(im.cookies, p.Value)
			}
		}
		if q, err := url.ParseQuery(e.Request.PostData.Text); err == nil && q.Get("password") != "" {
			im.cookies = append(im.cookies, q.Get("password"))
		}
	}
}

func (im *harImporter) secrets() []recording.Secret {
	var out []recording.Secret
	for _, v := range im.cookies {
		if len(v) >= recording.MinSecretInText && !slices.ContainsFunc(out, func(s recording.Secret) bool { return s.Value == v }) {
			out = append(out, recording.Secret{Value: v})
		}
	}
	return out
}

// events turns entries into the source's events, in time order; the
// events of one request keep their order.
func (im *harImporter) events(entries []*harEntry) []netEvent {
	type timed struct {
		t  time.Time
		ev netEvent
	}
	var all []timed
	for i, e := range entries {
		id := requestID(fmt.Sprintf("har-%d", i))
		body, _ := e.Request.PostData.Body(im.opts.Files)
		if classify(e.Request.Method, e.Request.URL) == kindUpload && lossyText(e.Request.PostData) {
			// Chromium's DevTools saves a request body as text, each byte
			// of a binary file that is not UTF-8 as U+FFFD: the upload's
			// files are fetched back from the app instead, as when the
			// HAR holds no body.
			body = nil
		}
		all = append(all, timed{e.start, requestSent{ID: id, Time: e.start, Method: e.Request.Method, URL: e.Request.URL, Headers: har.Headers(e.Request.Headers), Body: body}})
		resp, ok, _ := e.response(im.opts.Files)
		reason := e.Response.Failure()
		switch {
		case e.Response.Status <= 0 && reason == "":
			// Still under way when the HAR was written: its call ends
			// Incomplete, as a call running when a recording stops.
			continue
		case e.Response.Status <= 0:
			all = append(all, timed{e.end, loadingFailed{ID: id, Time: e.end, Error: reason, Canceled: strings.Contains(reason, "ABORTED")}})
			continue
		case !ok && classify(e.Request.Method, e.Request.URL) != kindData:
			// A response the HAR lost (the page stopped waiting for it):
			// not a failure of the call, which ends Incomplete, as one
			// still under way.
			continue
		case !ok:
			if reason == "" {
				reason = "the response was cut"
			}
			all = append(all, timed{e.end, loadingFailed{ID: id, Time: e.end, Error: "the HAR holds no body of it: " + reason}})
			continue
		}
		mt, _, _ := mime.ParseMediaType(e.Response.Content.MimeType)
		if mt == "" {
			mt, _, _ = mime.ParseMediaType(har.Header(e.Response.Headers, "Content-Type"))
		}
		all = append(all, timed{e.firstByte, responseReceived{ID: id, Time: e.firstByte, Status: e.Response.Status, Headers: har.Headers(e.Response.Headers), MIMEType: mt}})
		if mt == "text/event-stream" {
			all = append(all, timed{e.end, dataReceived{ID: id, Time: e.end, Data: resp}})
			resp = nil
		}
		all = append(all, timed{e.end, loadingFinished{ID: id, Time: e.end, Body: resp}})
	}
	slices.SortStableFunc(all, func(a, b timed) int { return a.t.Compare(b.t) })
	out := make([]netEvent, len(all))
	for i, t := range all {
		out[i] = t.ev
	}
	return out
}

// lossyText reports whether a request body was saved as text that lost
// bytes: it holds U+FFFD, the mark of bytes that were not UTF-8.
func lossyText(p *har.PostData) bool {
	return p != nil && p.File == "" && p.Encoding == "" && strings.ContainsRune(p.Text, utf8.RuneError)
}

// fetch gives the core a file's bytes: from the HAR's own download of it,
// else from the app at opts.URL (the same path under its root), else it
// notes the file as missing.
func (im *harImporter) fetch(ctx context.Context, rawURL string, w io.Writer) (string, error) {
	if e := im.downloads[rawURL]; e != nil {
		if body, ok, err := e.response(im.opts.Files); ok && err == nil {
			_, err := w.Write(body)
			mt, _, _ := mime.ParseMediaType(e.Response.Content.MimeType)
			return mt, err
		}
	}
	// Only a path under the app's root is asked of the app at opts.URL
	// ("http://app.example" must not match "http://app.example.evil").
	rel, under := strings.CutPrefix(rawURL, im.root)
	if im.opts.URL == "" || !under || !strings.HasPrefix(rel, "/") {
		im.miss(rawURL)
		return "", fmt.Errorf("the HAR does not hold %s: give --url with the app to fetch it", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(im.opts.URL, "/")+rel, nil)
	if err != nil {
		return "", err
	}
	mt, err := download(req, w)
	if err != nil {
		im.miss(rawURL)
	}
	return mt, err
}
