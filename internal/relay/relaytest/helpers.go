package relaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Log collects what a relay server and its handler log (as `gradiorec
// serve` prints it), and lets a test wait for a line. Its Logf goes in
// relay.Options.Logf and backend.Config.Logf.
type Log struct {
	// Wait bounds Wait and WaitN; default 30 s.
	Wait time.Duration

	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

// Logf adds a line.
func (l *Log) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	if l.changed != nil {
		close(l.changed)
	}
	l.changed = make(chan struct{})
}

// String is the whole log.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// Find returns the n-th line holding all of parts, or "" and a channel
// closed when the log changes.
func (l *Log) Find(n int, parts ...string) (string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if containsAll(line, parts) {
			if n--; n == 0 {
				return line, nil
			}
		}
	}
	if l.changed == nil {
		l.changed = make(chan struct{})
	}
	return "", l.changed
}

// WaitFor waits for a line holding all of parts and returns it; the test
// fails, showing the log, when none comes.
func (l *Log) WaitFor(t testing.TB, parts ...string) string {
	t.Helper()
	return l.WaitN(t, 1, parts...)
}

// WaitN waits for n lines holding all of parts and returns the n-th.
func (l *Log) WaitN(t testing.TB, n int, parts ...string) string {
	t.Helper()
	limit := l.Wait
	if limit <= 0 {
		limit = 30 * time.Second
	}
	timeout := time.After(limit)
	for {
		line, changed := l.Find(n, parts...)
		if changed == nil {
			return line
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("fewer than %d log lines hold %q; the log:\n%s", n, parts, l)
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// Next returns the next message of type typ, skipping others (pings are
// answered unless NoPong).
func (c *Client) Next(typ string) (Message, error) {
	for {
		m, err := c.Receive()
		if err != nil {
			return Message{}, fmt.Errorf("waiting for a %s message: %w", typ, err)
		}
		if m.T == typ {
			return m, nil
		}
	}
}

// Page is the page message the extension sends for the tab of the Gradio
// app at appURL (its root, without a trailing slash): the app's real
// /config and /info, no cookies.
func Page(t testing.TB, rec, appURL string) map[string]any {
	t.Helper()
	config := getJSON(t, appURL+"/config")
	prefix, _ := config["api_prefix"].(string)
	info := getJSON(t, appURL+prefix+"/info?all_endpoints=true")
	return map[string]any{"t": "page", "rec": rec, "url": appURL + "/", "config": config, "info": info, "cookies": []any{}}
}

func getJSON(t testing.TB, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", url, resp.Status, err)
	}
	return v
}

// Expect is Next for a test: it fails the test when no message of type
// typ comes.
func (c *Client) Expect(t testing.TB, typ string) Message {
	t.Helper()
	m, err := c.Next(typ)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
