package cli

import (
	"bytes"
	"strings"
	"testing"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := run()
	if code != ExitUsage || !strings.Contains(out, "usage: gradiorec <command>") {
		t.Errorf("no arguments: exit %d, stdout %q", code, out)
	}
	code, out, _ = run("help")
	if code != ExitOK || !strings.Contains(out, "version") {
		t.Errorf("help: exit %d, stdout %q", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errs := run("frobnicate")
	if code != ExitUsage || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run("version")
	if code != ExitOK || out != "gradiorec devel\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	code, _, errs := run("version", "extra")
	if code != ExitUsage || !strings.Contains(errs, "takes no arguments") {
		t.Errorf("extra argument: exit %d, stderr %q", code, errs)
	}
}
