package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// appInfo is what the harness reads from the app's GET <root>/config once.
type appInfo struct {
	version string // Gradio version
	api     string // root + api_prefix
	fnIndex int    // the dependency id of /echo
}

// readApp reads the app's config and finds /echo in it.
func readApp(ctx context.Context, hc *http.Client, root string) (appInfo, error) {
	var cfg struct {
		Version      string `json:"version"`
		APIPrefix    string `json:"api_prefix"`
		Dependencies []struct {
			ID      *int `json:"id"`
			APIName any  `json:"api_name"` // false for private ones before Gradio 6
		} `json:"dependencies"`
	}
	body, err := get(ctx, hc, root+"/config")
	if err != nil {
		return appInfo{}, err
	}
	if err := json.Unmarshal(body, &cfg); err != nil {
		return appInfo{}, fmt.Errorf("decode %s/config: %w", root, err)
	}
	info := appInfo{version: cfg.Version, api: root + strings.TrimRight(cfg.APIPrefix, "/"), fnIndex: -1}
	for i, d := range cfg.Dependencies {
		if d.APIName == strings.TrimPrefix(api, "/") {
			info.fnIndex = i
			if d.ID != nil {
				info.fnIndex = *d.ID
			}
		}
	}
	if info.fnIndex < 0 {
		return appInfo{}, fmt.Errorf("%s/config has no %s endpoint", root, api)
	}
	return info, nil
}

// get returns the body of a GET that answers 200.
func get(ctx context.Context, hc *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return body, nil
}

// raw is the floor: the protocol by hand with no client logic. A call is
// POST <api>/queue/join with {data, fn_index, session_hash}, then
// GET <api>/queue/data?session_hash=... read until the event's
// process_completed, then to the end of the response (the server follows
// with close_stream), so that the connection is reused. All requests go
// through one keep-alive http.Client. Sequential calls share one session, as
// a client's calls do; each concurrent call in flight uses a session of its
// own, since sharing one session's stream between calls is client logic.
type raw struct {
	hc   *http.Client
	root string
	app  appInfo
	hash string      // the session of the sequential calls
	pool chan string // idle sessions of the concurrent calls
}

func newRaw(root string, app appInfo) *raw {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // as the Go client's own transport
	return &raw{hc: &http.Client{Transport: tr}, root: root, app: app, hash: sessionHash(), pool: make(chan string, 1024)}
}

// sessionHash returns 32 random hex digits.
func sessionHash() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// rawMessage is the part of a queue message the floor looks at.
type rawMessage struct {
	Msg     string `json:"msg"`
	EventID string `json:"event_id"`
	Success *bool  `json:"success"`
	Message string `json:"message"`
	Output  struct {
		Data  []any `json:"data"`
		Error any   `json:"error"`
	} `json:"output"`
}

// call makes one call in the session hash and returns the time until its
// process_completed arrived.
func (r *raw) call(ctx context.Context, hash, text string) (time.Duration, error) {
	start := time.Now()
	join, err := json.Marshal(map[string]any{"data": []any{text}, "fn_index": r.app.fnIndex, "session_hash": hash})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.app.api+"/queue/join", bytes.NewReader(join))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.hc.Do(req)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("join: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("join: %s: %.200s", resp.Status, body)
	}
	var joined struct {
		EventID string `json:"event_id"`
	}
	if err := json.Unmarshal(body, &joined); err != nil || joined.EventID == "" {
		return 0, fmt.Errorf("join: no event id in %.200s", body)
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodGet, r.app.api+"/queue/data?session_hash="+url.QueryEscape(hash), nil)
	if err != nil {
		return 0, err
	}
	resp, err = r.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("queue/data: %s", resp.Status)
	}
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if err == io.EOF {
				err = errors.New("the stream ended before process_completed")
			}
			return 0, fmt.Errorf("queue/data: %w", err)
		}
		data, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue
		}
		var m rawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return 0, fmt.Errorf("queue/data: %w", err)
		}
		if m.Msg == "unexpected_error" {
			return 0, fmt.Errorf("queue/data: unexpected_error: %s", m.Message)
		}
		if m.Msg != "process_completed" || m.EventID != joined.EventID {
			continue
		}
		took := time.Since(start)
		_, _ = io.Copy(io.Discard, br) // close_stream, then the end
		if m.Success != nil && !*m.Success {
			return 0, fmt.Errorf("app error: %v", m.Output.Error)
		}
		if len(m.Output.Data) == 0 || m.Output.Data[0] != text {
			return 0, fmt.Errorf("unexpected output %#v", m.Output.Data)
		}
		return took, nil
	}
}

// callSession makes a call in the floor's session.
func (r *raw) callSession(ctx context.Context, text string) (time.Duration, error) {
	return r.call(ctx, r.hash, text)
}

// callPooled makes a call in a session that no other call uses meanwhile:
// one from the floor's pool, or a new one when all are in use. So n calls in
// flight use n sessions in all, however many calls they make (every new
// session costs the server memory for as long as it runs).
func (r *raw) callPooled(ctx context.Context, text string) (time.Duration, error) {
	var hash string
	select {
	case hash = <-r.pool:
	default:
		hash = sessionHash()
	}
	defer func() {
		select {
		case r.pool <- hash:
		default:
		}
	}()
	return r.call(ctx, hash, text)
}

func (r *raw) warmup(ctx context.Context, calls, inFlight int) error {
	return warmupWith(ctx, calls, inFlight, r.callSession, r.callPooled)
}

// connects measures what any client must do to connect: read the config and
// the API info (GET <root>/config, GET <api>/info?all_endpoints=true) and
// parse them as JSON, over a new connection each time.
func (r *raw) connects(ctx context.Context, n int) ([]time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for range n {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		hc := &http.Client{Transport: tr}
		start := time.Now()
		err := func() error {
			for _, u := range []string{r.root + "/config", r.app.api + "/info?all_endpoints=true"} {
				body, err := get(ctx, hc, u)
				if err != nil {
					return err
				}
				var v any
				if err := json.Unmarshal(body, &v); err != nil {
					return fmt.Errorf("decode %s: %w", u, err)
				}
			}
			return nil
		}()
		took := time.Since(start)
		tr.CloseIdleConnections()
		if err != nil {
			return nil, err
		}
		times = append(times, took)
	}
	return times, nil
}

func (r *raw) sequential(ctx context.Context, n int) (seqRun, error) {
	return sequentialWith(ctx, n, r.callSession)
}

func (r *raw) concurrent(ctx context.Context, n, inFlight int) (concRun, error) {
	return concurrentWith(ctx, n, inFlight, r.callPooled)
}

func (r *raw) close() error {
	r.hc.CloseIdleConnections()
	return nil
}
