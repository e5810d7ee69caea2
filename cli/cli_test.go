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

func TestHelpFlag(t *testing.T) {
	for _, name := range []string{"record", "replay", "inspect", "recover"} {
		code, out, errs := run(name, "--help")
		if code != ExitOK || !strings.HasPrefix(out, "usage: gradiorec "+name+" ") || errs != "" {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q; want the command's help on stdout", name, code, out, errs)
		}
		_, help, _ := run("help", name)
		if out != help {
			t.Errorf("%s --help differs from gradiorec help %s:\n%s\n---\n%s", name, name, out, help)
		}
	}
}

// TestBadFlagValue: a value a flag refuses is one line saying what is wrong
// and how to write it, and a pointer to the help; never Go's flag defaults.
func TestBadFlagValue(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "--runs", "two", "x.json"}, `--runs "two" is not a whole number: write one in digits, e.g. --runs 3`},
		{[]string{"replay", "--runs", "99999999999999999999", "x.json"}, `--runs "99999999999999999999" is out of range: write a smaller whole number`},
		{[]string{"inspect", "--json=maybe", "http://127.0.0.1:9"}, `--json=maybe: write --json alone to turn it on, or --json=false`},
		{[]string{"record", "-o", "x.json", "--timeout", "10", "http://127.0.0.1:9"}, `--timeout "10" is not a duration: write a number with a unit, e.g. 30s, 5m or 1h30m`},
		{[]string{"record", "-o", "x.json", "--max-file-size", "1T", "http://127.0.0.1:9"}, `--max-file-size: "1T" is not a size: write bytes, or a number with K, M or G (e.g. 64M)`},
	} {
		code, out, errs := run(tc.args...)
		want := "gradiorec " + tc.args[0] + ": " + tc.want + "\nRun 'gradiorec " + tc.args[0] + " --help' for more.\n"
		if code != ExitUsage || out != "" || errs != want {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%s\nwant exit %d and\n%s", tc.args, code, out, errs, ExitUsage, want)
		}
	}
}
