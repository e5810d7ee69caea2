package version

import "testing"

func TestRelease(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	for v, want := range map[string]string{
		"v1.4.2": "v1.4.2", "v0.3.0-rc.1": "v0.3.0-rc.1", "devel": "", "1.4.2": "", "v1.4": "", "v1.4.2 ": "",
	} {
		Version = v
		if got := Release(); got != want {
			t.Errorf("Release() with Version %q = %q, want %q", v, got, want)
		}
	}
}
