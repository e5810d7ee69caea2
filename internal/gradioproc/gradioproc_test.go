package gradioproc_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradioproc"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestStart starts the real echo app, checks that it serves on the loopback
// address, and that Stop ends its process group and removes its temporary
// folder.
func TestStart(t *testing.T) {
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	ctx, cancel := context.WithTimeout(context.Background(), gradioproc.StartTimeout)
	defer cancel()
	p, err := gradioproc.Start(ctx, py, filepath.Join(gradiotest.Root(t), "testdata", "apps", "echo.py"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on the loopback address", p.URL)
	}
	resp, err := http.Get(p.URL + "/config")
	if err != nil {
		t.Fatalf("GET /config: %v\n%s", err, p.Log())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /config: %s", resp.Status)
	}
	if p.Exited() {
		t.Error("Exited() before Stop")
	}

	pgid := p.PGID()
	p.Stop()
	p.Stop() // a second Stop does nothing
	if !p.Exited() {
		t.Error("not Exited() after Stop")
	}
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the app's process group %d is still there after Stop (%v)", pgid, err)
	}
	if _, err := os.Stat(p.Tmp()); !os.IsNotExist(err) {
		t.Errorf("the app's temporary folder %s is still there after Stop (%v)", p.Tmp(), err)
	}
}

// TestStartFails checks that an app that exits before serving is an error
// that carries its output.
func TestStartFails(t *testing.T) {
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	script := filepath.Join(t.TempDir(), "broken.py")
	if err := os.WriteFile(script, []byte("raise SystemExit('no app here')\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := gradioproc.Start(ctx, py, script, "", nil)
	if err == nil {
		p.Stop()
		t.Fatal("Start of a script that exits succeeded")
	}
	if !strings.Contains(err.Error(), "exited before serving") || !strings.Contains(err.Error(), "no app here") {
		t.Errorf("error %q does not say that the app exited, with its output", err)
	}
}

func TestTail(t *testing.T) {
	tl := gradioproc.NewTail(5)
	tl.Write([]byte("abc"))
	if got := tl.String(); got != "abc" {
		t.Errorf("String() = %q, want %q", got, "abc")
	}
	tl.Write([]byte("defg"))
	if got := tl.String(); got != "…\ncdefg" {
		t.Errorf("String() = %q, want %q", got, "…\ncdefg")
	}
}
