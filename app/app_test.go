package app

import (
	"testing"

	"github.com/gradiorec/gradiorec/cli"
)

func TestServices(t *testing.T) {
	a := New()
	if got := a.Services(); len(got) != 1 || got[0] != a {
		t.Fatalf("Services() = %v, want the app itself", got)
	}
	if a.Version() != cli.Version {
		t.Errorf("Version() = %q, want %q", a.Version(), cli.Version)
	}
}
