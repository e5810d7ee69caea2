package relay_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// exchanger keeps a paired extension sending requests and reading their
// replies until stop, counting round trips.
type exchanger struct {
	mu      sync.Mutex
	n       int64
	changed chan struct{} // closed at the next round trip
	stop    chan struct{}
	done    chan error
}

func (x *exchanger) count() (int64, <-chan struct{}) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.n, x.changed
}

func (x *exchanger) add() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.n++
	close(x.changed)
	x.changed = make(chan struct{})
}

func exchange(f *fixture, c *relaytest.Client) *exchanger {
	x := &exchanger{changed: make(chan struct{}), stop: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		for req := int64(1); ; req++ {
			select {
			case <-x.stop:
				x.done <- nil
				return
			default:
			}
			if err := c.Send(map[string]any{"t": "status", "req": req}); err != nil {
				x.done <- err
				return
			}
			m, err := c.Receive()
			if err != nil {
				x.done <- err
				return
			}
			if m.T != "reply" {
				x.done <- errors.New("got " + string(m.Raw) + ", want a reply")
				return
			}
			<-f.h.messages
			x.add()
		}
	}()
	return x
}

// progress waits until the exchanger has made n more round trips.
func (x *exchanger) progress(t *testing.T, n int64) {
	t.Helper()
	start, _ := x.count()
	timeout := time.After(wait)
	for {
		got, changed := x.count()
		if got-start >= n {
			return
		}
		select {
		case <-changed:
		case err := <-x.done:
			t.Fatalf("the paired extension stopped exchanging: %v", err)
		case <-timeout:
			t.Fatalf("the paired extension made %d round trips in %s, want %d", got-start, wait, n)
		}
	}
}

// Rule 7: a flood of connections that never finish the handshake, and of
// rapid failed handshakes, is refused beyond MaxPending with 503, each
// pending one is cut at HandshakeTimeout, a paired extension keeps
// exchanging messages throughout and connects again afterwards.
func TestFlood(t *testing.T) {
	const (
		timeout = time.Second
		max     = 8
	)
	f := start(t, relay.Options{HandshakeTimeout: timeout, MaxPending: max})
	url := f.srv.URL()
	ctx := context.Background()
	paired := f.pair(t, relaytest.Options{})
	x := exchange(f, paired)
	x.progress(t, 10)

	// 8 connections that never finish the handshake fill the slots.
	type cut struct {
		after time.Duration
		err   error
	}
	cuts := make(chan cut, 400)
	silent := func(c *relaytest.Client) {
		began := time.Now()
		m, err := c.Receive()
		if err == nil {
			err = errors.New("got " + string(m.Raw))
		}
		cuts <- cut{time.Since(began), err}
		c.Conn().Close()
	}
	filled := time.Now()
	for range max {
		c, err := relaytest.Open(ctx, url, relaytest.Options{Timeout: wait})
		if err != nil {
			t.Fatalf("a connection within MaxPending: %v", err)
		}
		go silent(c)
	}

	// 200 more that would never finish, and 200 rapid failed handshakes,
	// at once.
	var (
		wg       sync.WaitGroup
		early    atomic.Int32 // answered before any slot could free
		upgraded atomic.Int32
	)
	for i := range 400 {
		wg.Go(func() {
			var err error
			var c *relaytest.Client
			if i%2 == 0 {
				c, err = relaytest.Open(ctx, url, relaytest.Options{Timeout: wait})
			} else {
				_, err = relaytest.Handshake(ctx, url, relaytest.Options{Secret: make([]byte, 32), Timeout: wait})
			}
			var re *relaytest.Error
			refused503 := errors.As(err, &re) && re.Status == http.StatusServiceUnavailable
			if time.Since(filled) < timeout/2 {
				early.Add(1)
				if !refused503 {
					t.Errorf("while %d handshakes were pending: %v, want 503", max, err)
				}
			}
			switch {
			case refused503:
			case c != nil:
				upgraded.Add(1)
				silent(c)
			case errors.As(err, &re) && re.Code == "unpaired":
			default:
				t.Errorf("a flooding connection: %v", err)
			}
		})
	}
	x.progress(t, 10) // during the flood
	wg.Wait()
	if early.Load() < 100 {
		t.Errorf("only %d of 400 flooding connections were answered within %s: the machine is too slow for this test", early.Load(), timeout/2)
	}
	for range max + int(upgraded.Load()) {
		c := <-cuts
		if c.after < timeout/2 || c.after > timeout+2*time.Second {
			t.Errorf("a pending connection was cut after %s (%v), want about %s", c.after, c.err, timeout)
		}
	}
	x.progress(t, 10)

	// 200 rapid failed handshakes, 16 at a time.
	sem := make(chan struct{}, 16)
	for range 200 {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, err := relaytest.Handshake(ctx, url, relaytest.Options{Install: paired.Install, Secret: make([]byte, 32), Timeout: wait})
			var re *relaytest.Error
			if !errors.As(err, &re) || (re.Status != http.StatusServiceUnavailable && re.Code != "bad-proof") {
				t.Errorf("a rapid failed handshake: %v", err)
			}
		})
	}
	wg.Wait()
	x.progress(t, 10)
	close(x.stop)
	if err := <-x.done; err != nil {
		t.Fatalf("the paired extension: %v", err)
	}
	trips, _ := x.count()
	t.Logf("%d round trips of the paired extension during the flood; %d flooding connections upgraded after slots freed", trips, upgraded.Load())

	// The paired extension connects again.
	again := relaytest.Dial(t, url, relaytest.Options{Install: paired.Install, Secret: paired.Secret})
	again.Send(map[string]any{"t": "status", "req": 1})
	if m, err := again.Receive(); err != nil || m.T != "reply" {
		t.Fatalf("after the flood: %s, %v", m.Raw, err)
	}
	f.log.WaitFor(t, "refused a connection", "in the handshake already")
}
