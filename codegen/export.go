package codegen

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/curl"
	"github.com/gradiorec/gradiorec/codegen/golang"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/javascript"
	"github.com/gradiorec/gradiorec/codegen/python"
	"github.com/gradiorec/gradiorec/recording"
)

// Project is generated code ready to be written to a folder of its own: the
// code, the files to install and run it, and the recording's fixture files
// it reads.
type Project struct {
	// Files are the code, a README.md with the install and run commands,
	// and the language's project file (requirements.txt, package.json or
	// go.mod), with paths relative to the folder.
	Files []File
	// Fixtures are the input files the code uploads. Write copies each
	// from the recording's files folder (<recording>.files/<File.Name>) to
	// Path in the output folder, checking it on the way.
	Fixtures []Fixture
}

// Fixture is an input file a project reads.
type Fixture struct {
	Path string         // relative to the output folder: "fixtures/<hash prefix>/<name>"
	File recording.File // the recording's file, whose bytes are to be copied
}

// Export generates a runnable project: what Generate returns plus a README,
// the project file of the language and the list of fixtures to copy. Like
// Generate it writes nothing. A Go project gets a go.mod: its module is
// opts.GoModule, or "replay". It fails when the code reads a fixture that
// the recording does not hold.
func Export(rec *recording.Recording, opts Options) (*Project, error) {
	if opts.Lang == Go && opts.GoModule == "" {
		opts.GoModule = "replay"
	}
	files, err := Generate(rec, opts)
	if err != nil {
		return nil, err
	}
	p, err := plan.New(rec, opts.plan())
	if err != nil {
		return nil, err
	}
	pr := &Project{Files: files}
	for _, fx := range p.Fixtures {
		if fx.Missing {
			return nil, fmt.Errorf("export: an input refers to fixture %q, which the recording does not list", fx.File.Name)
		}
		if !fx.File.Stored {
			return nil, fmt.Errorf("export: the bytes of fixture %q were not recorded", fx.File.Name)
		}
		pr.Fixtures = append(pr.Fixtures, Fixture{Path: fx.Path, File: fx.File})
	}
	switch opts.Lang {
	case Python:
		req := "gradio_client\n"
		if p.Opts.Flavour == plan.Test {
			req += "pytest\n"
		}
		pr.Files = append(pr.Files, File{Path: "requirements.txt", Content: []byte(req), Mode: 0o644})
	case Locust:
		pr.Files = append(pr.Files, File{Path: "requirements.txt", Content: []byte(locustRequirements(rec.App.Version)), Mode: 0o644})
	case JavaScript:
		pr.Files = append(pr.Files, File{Path: "package.json", Content: packageJSON(p), Mode: 0o644})
	}
	pr.Files = append(pr.Files, File{Path: "README.md", Content: []byte(readme(p, opts.Lang, files[0].Path, pr.Fixtures)), Mode: 0o644})
	return pr, nil
}

// LocustVersion is the version of Locust an exported load test requires:
// the one its code is tested with.
const LocustVersion = "2.47.0"

// clientVersions are the gradio_client versions that go with each Gradio
// major version: those of the pinned test apps (scripts/requirements),
// which the generated code is tested with.
var clientVersions = map[string]string{"4": "1.3.0", "5": "1.13.3", "6": "2.7.2"}

// locustRequirements returns the requirements.txt of a load test: Locust,
// and the gradio_client of the recorded app's Gradio major version.
func locustRequirements(gradio string) string {
	major, _, _ := strings.Cut(gradio, ".")
	client := "gradio_client\n"
	if v, ok := clientVersions[major]; ok {
		client = "gradio_client==" + v + "\n"
	}
	return "locust==" + LocustVersion + "\n" + client
}

func packageJSON(p *plan.Plan) []byte {
	script := javascript.FileName(p.Opts.BaseName(), p.Opts.Flavour)
	scripts := map[string]string{"start": "node " + script}
	if p.Opts.Flavour == plan.Test {
		scripts = map[string]string{"test": "node --test " + script}
	}
	pkg := struct {
		Name         string            `json:"name"`
		Private      bool              `json:"private"`
		Type         string            `json:"type"`
		Scripts      map[string]string `json:"scripts"`
		Dependencies map[string]string `json:"dependencies"`
	}{
		Name: strings.ToLower(plan.Ident(p.Opts.BaseName())), Private: true, Type: "module",
		Scripts:      scripts,
		Dependencies: map[string]string{"@gradio/client": "^2.5.0"},
	}
	if pkg.Name == "" {
		pkg.Name = "replay"
	}
	b, _ := json.MarshalIndent(pkg, "", "  ")
	return append(b, '\n')
}

// readme returns the README.md of an exported project.
func readme(p *plan.Plan, lang Lang, code string, fixtures []Fixture) string {
	var b strings.Builder
	test := p.Opts.Flavour == plan.Test
	what := "replays"
	switch {
	case lang == Locust && test:
		what = "load-tests the app: its simulated users replay and check"
	case lang == Locust:
		what = "load-tests the app: its simulated users replay"
	case test:
		what = "tests"
	}
	fmt.Fprintf(&b, "# Recorded Gradio session: %s\n\n", mdText(p.URL, 100))
	fmt.Fprintf(&b, "Generated by gradiorec from a recording of %s in %s (Gradio %s).\n",
		count(len(p.Rec.Calls), "call", "calls"), count(len(p.Sessions), "session", "sessions"), mdText(p.Rec.App.Version, 20))
	fmt.Fprintf(&b, "`%s` %s them with %s.\n\n", code, what, client(lang))
	b.WriteString("## Run\n\n```sh\n")
	switch lang {
	case Python:
		b.WriteString("python3 -m venv .venv && . .venv/bin/activate\npip install -r requirements.txt\n")
		if test {
			fmt.Fprintf(&b, "pytest %s\n", code)
		} else {
			fmt.Fprintf(&b, "python %s\n", code)
		}
	case JavaScript:
		b.WriteString("npm install        # Node.js 20 or newer\n")
		if test {
			b.WriteString("npm test\n")
		} else {
			b.WriteString("npm start\n")
		}
	case Go:
		b.WriteString("go mod tidy        # Go " + golang.GoVersion + " or newer\n")
		if test {
			b.WriteString("go test -count=1 -v ./...   # -count=1: a cached pass says nothing of the app\n")
		} else {
			b.WriteString("go run .\n")
		}
	case Locust:
		b.WriteString("python3 -m venv .venv && . .venv/bin/activate\npip install -r requirements.txt\n")
		fmt.Fprintf(&b, "locust -f %s --headless -u 10 -r 2 --run-time 1m\n", code)
	case Curl:
		if test {
			fmt.Fprintf(&b, "bash %s       # needs bash, curl and jq\n", code)
		} else {
			fmt.Fprintf(&b, "bash %s       # needs bash and curl\n", code)
		}
	}
	b.WriteString("```\n\n")
	if !test && p.Streams() {
		flag := "--stream"
		if lang == Go {
			flag = "-stream"
		}
		fmt.Fprintf(&b, "The script prints each call's result; with `%s` it prints every intermediate\noutput of a streaming call too.\n\n", flag)
	}
	b.WriteString("## Settings\n\nThe code reads these environment variables:\n\n")
	if lang == Locust {
		fmt.Fprintf(&b, "- `GRADIO_URL`: the app to load when locust's `--host` names none (default: the recorded %s).\n", mdCode(p.Src, 100))
	} else {
		fmt.Fprintf(&b, "- `GRADIO_URL`: the app to call (default: the recorded %s).\n", mdCode(p.Src, 100))
	}
	if p.SpaceID != "" {
		b.WriteString("- `HF_TOKEN`: a Hugging Face token, for private Spaces. It goes only to Hugging Face\n" +
			"  (https `huggingface.co`, `*.huggingface.co`, `*.hf.space`), unless `GRADIO_TOKEN_ANY_HOST=1`.\n")
	}
	if p.Auth {
		b.WriteString("- `GRADIO_USERNAME`, `GRADIO_PASSWORD`: the app's login.\n")
	}
	b.WriteString(secretsReadme(p, lang))
	if lang == Curl && p.APIPrefix == "" {
		b.WriteString("\nThe app was recorded on Gradio 4.x, whose API has no `/gradio_api` prefix.\n")
	}
	if lang == Python || lang == Locust {
		b.WriteString(notReproduced(p, lang, test))
	}
	if len(fixtures) > 0 {
		b.WriteString("\n## Fixtures\n\nThe recorded input files, uploaded by the code:\n\n")
		for _, f := range fixtures {
			fmt.Fprintf(&b, "- %s (%s)\n", mdCode(f.Path, 200), count(f.File.Size, "byte", "bytes"))
		}
	}
	return b.String()
}

// notReproduced lists, for a Python or Locust project's README, the
// recorded calls that gradio_client cannot make and those whose outputs it
// cannot reproduce, or returns "" when there are none.
func notReproduced(p *plan.Plan, lang Lang, test bool) string {
	var items []string
	for _, s := range p.Sessions {
		lost := s.Lost(python.Client)
		for _, c := range s.Calls {
			switch {
			case c.Skip == "" && c.Mode == plan.Private:
				items = append(items, fmt.Sprintf("- Call %s is not made: a private endpoint, which gradio_client refuses.", mdText(c.Label(), 80)))
			case lost[c] != "":
				items = append(items, fmt.Sprintf("- Call %s: %s.", mdText(c.Label(), 80), mdText(lost[c], 200)))
			}
		}
	}
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Not reproduced by gradio_client\n\n")
	switch {
	case lang == Locust:
		b.WriteString("gradio_client cannot make these calls or reproduce their outputs: the load\n")
		b.WriteString("test leaves them out, or makes them without checking their outputs.\n\n")
	case test:
		b.WriteString("gradio_client cannot make these calls or reproduce their outputs, which the\n")
		b.WriteString("test does not check: a test with any of them ends as an expected failure\n")
		b.WriteString("(xfail) once its other checks pass.\n\n")
	default:
		b.WriteString("gradio_client cannot make these calls or reproduce their outputs: the script\n")
		b.WriteString("prints what it gets, which may differ from the recording.\n\n")
	}
	b.WriteString(strings.Join(items, "\n") + "\n")
	b.WriteString("\nThe Go, JavaScript and cURL code makes every one of these calls as the page did.\n")
	return b.String()
}

// count says how many of a thing there are: "1 call", "0 calls", "2 calls".
func count[N int | int64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func client(lang Lang) string {
	switch lang {
	case Python:
		return "the official Python client, gradio_client"
	case JavaScript:
		return "the official JavaScript client, @gradio/client"
	case Go:
		return "the Go client " + golang.ModulePath
	case Locust:
		return "the official Python client, gradio_client, under Locust"
	}
	return "curl over the app's REST API"
}

// FileName returns the name of the code file Generate writes for a language,
// flavour and base name ("" for "replay").
func FileName(lang Lang, flavour Flavour, base string) string {
	if base == "" {
		base = "replay"
	}
	fl := string(flavour)
	switch lang {
	case Python:
		return python.FileName(base, fl)
	case JavaScript:
		return javascript.FileName(base, fl)
	case Go:
		return golang.FileName(base, fl)
	case Locust:
		return python.LocustFileName(base)
	}
	return curl.FileName(base, fl)
}
