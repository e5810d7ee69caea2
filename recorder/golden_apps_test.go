package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// What each test-bed app's steps file (testdata/steps/<app>.yaml) must
// record, from the app's code (testdata/apps/<app>.py): TestGoldenRecordings
// checks every recording against its row before normalising it.
//
// Values are written as the recording holds them, compact JSON with sorted
// keys: inputs as name=value pairs, outputs and each update as the values
// separated by spaces. A file is written "@<its original name>" (the bytes
// are checked by the row's check). An output path listed in noise is
// written "<varies>".

// appWant is what the recording of one app's steps file holds.
type appWant struct {
	// endpoints lists the app's endpoints as "<fn_index> <api_name>
	// <visibility>" plus "generator", "run" (queue=False) or "js" (no
	// backend function): all of them, in fn_index order, unless partial.
	// Entries without a fn_index match by name. Before Gradio 6 a private
	// endpoint with a backend function has no api_name (written "-"); the
	// entry's name applies to 6.x only.
	endpoints []string
	partial   bool // endpoints lists some of the app's endpoints only
	// calls lists every call in the order it started; nil when check
	// covers the calls (chat, whose internal endpoints differ by version).
	calls []callWant
	// noise lists, per api_name, the JSON Pointers into a call's outputs
	// whose values differ on every call: normalised to "<varies>" in the
	// golden recording, masked, and ignored when outputs are compared.
	noise map[string][]string
	// check checks what the table cannot say.
	check func(t *testing.T, g *goldenRun)
	// page checks what the page shows after the steps, which the steps
	// file cannot wait for.
	page func(t *testing.T, tab context.Context)
}

// callWant is one recorded call.
type callWant struct {
	fn       int      // fn_index
	api      string   // api_name (see appWant.endpoints for private ones)
	in       string   // named inputs, State slots left out
	out      string   // final outputs; "" for none
	updates  []string // every generator update, in order; for a cancelled call the first ones (how many arrive depends on when the cancel lands)
	status   string   // "" for recording.Completed
	err      string   // the gr.Error message (Gradio 4 quotes it)
	run      bool     // called through /run (queue=False), not the queue
	log      []string // "<level>: <message>" of each gr.Info/gr.Warning
	progress string   // "<desc>: <length> <unit>": every gr.Progress update has one bar like it, with ascending step indexes
}

// calculatorCalls are the calls of calculator.yaml and its variants, whose
// third parameter is named num2 and whose 6 × 7 gives product.
func calculatorCalls(num2, product string) []callWant {
	in := func(a, op, b string) string {
		return fmt.Sprintf(`num1=%s operation=%q %s=%s`, a, op, num2, b)
	}
	return []callWant{
		{fn: 0, api: "/calculate", in: in("3", "add", "4"), out: "7"},
		{fn: 0, api: "/calculate", in: in("10", "subtract", "4"), out: "6"},
		{fn: 0, api: "/calculate", in: in("6", "multiply", "7"), out: product},
		{fn: 0, api: "/calculate", in: in("7", "divide", "2"), out: "3.5"},
		{fn: 0, api: "/calculate", in: in("7", "divide", "0"), status: recording.Failed, err: "Cannot divide by zero!"},
	}
}

// calculatorEndpoints are the endpoints of a gr.Interface: the function and
// the Clear button's two JavaScript-only listeners.
var calculatorEndpoints = []string{"0 /calculate public", "1 /js_fn private js", "2 /js_fn_1 private js"}

// toastyLog are the toasts of toasty's /notify.
var toastyLog = []string{"info: First note", "info: Second note", "warning: A warning that stays"}

// notGolden are the test-bed apps without a golden recording, each with the
// tests that record it for what it is there to show.
var notGolden = map[string]string{
	"vault":             "secrets typed behind a login: cli TestRecordRedactsTypedSecrets, app TestRecordInWindowRedacts",
	"apikey":            "secrets in generated code: codegen TestGeneratedCodeSecrets",
	"names":             "an api_name that needs encoding in a URL: codegen TestCurlOddAPIName",
	"guestbook":         "an app embedded in another site's page, recorded through both sources: recorder TestRecordEmbeddedApp",
	"eventdata_changed": "eventdata's twin with a changed reply: codegen TestGeneratedTestsCatchChange",
	"state_changed":     "state's twin joining the words by commas: codegen TestGeneratedTestsCatchChange",
	"cart_changed":      "cart's twin with a changed /add reply: codegen TestGeneratedTestsCatchChange",
	"llm":               "streams whose updates vary from run to run: replay TestLearnStreamNoise, cli TestReplayLearnStreamNoise",
	"llm_changed":       "llm's twin with a changed final answer: replay TestLearnStreamNoise, cli TestReplayLearnStreamNoise",
}

// goldenApps has one row per test-bed app, except those in notGolden.
var goldenApps = map[string]appWant{
	"auth": {
		endpoints: []string{"0 /greet public"},
		calls:     []callWant{{fn: 0, api: "/greet", in: `name="Ada"`, out: `"Hello, Ada!"`}},
	},
	"calculator": {
		endpoints: calculatorEndpoints,
		calls:     calculatorCalls("num2", "42"),
	},
	"calculator_changed": {
		endpoints: calculatorEndpoints,
		calls:     calculatorCalls("num2", "43"),
	},
	"calculator_renamed": {
		endpoints: calculatorEndpoints,
		calls:     calculatorCalls("second", "42"),
	},
	"cart": {
		endpoints: []string{"0 /add public", "1 /empty private", "2 /checkout public"},
		// The private Empty call changes the State that the later calls read.
		calls: []callWant{
			{fn: 0, api: "/add", in: `item="apple"`, out: `"1 in the cart: apple"`},
			{fn: 0, api: "/add", in: `item="pear"`, out: `"2 in the cart: apple, pear"`},
			{fn: 1, api: "/empty", in: ``, out: `"the cart is empty"`},
			{fn: 0, api: "/add", in: `item="plum"`, out: `"1 in the cart: plum"`},
			{fn: 2, api: "/checkout", in: ``, out: `"1 items: plum"`},
		},
	},
	"chat_tone": {
		endpoints: []string{"/chat public"},
		partial:   true,
		check:     checkChatTone,
	},
	"chat_files": {
		endpoints: []string{"/chat public"},
		partial:   true,
		check:     checkChatFiles,
	},
	"toasty": {
		endpoints: []string{"0 /notify public", "1 /next public"},
		// Each Next is clicked through the toasts the Notify before it raised.
		calls: []callWant{
			{fn: 0, api: "/notify", in: ``, out: `"notified"`, log: toastyLog},
			{fn: 1, api: "/next", in: `n=1`, out: `"next 1"`},
			{fn: 0, api: "/notify", in: ``, out: `"notified"`, log: toastyLog},
			{fn: 1, api: "/next", in: `n=2`, out: `"next 2"`},
		},
	},
	"chat": {
		endpoints: []string{"/chat public generator"},
		partial:   true,
		check:     checkChat,
	},
	"echo": {
		endpoints: []string{"0 /echo public", "1 /burst public generator", "2 /stamp public"},
		calls: []callWant{
			{fn: 0, api: "/echo", in: `text="ping"`, out: `"ping"`},
			{fn: 1, api: "/burst", in: `n=5`, out: "5", updates: []string{"1", "2", "3", "4", "5"}},
			{fn: 2, api: "/stamp", in: `tag="t1"`, out: `{"tag":"t1","time_ns":"<varies>"}`},
		},
		noise: map[string][]string{"/stamp": {"/0/time_ns"}},
		check: func(t *testing.T, g *goldenRun) {
			checkNoise(t, g, "/stamp", "/0/time_ns", `^[1-9][0-9]{18}$`) // time.time_ns()
		},
	},
	"eventdata": {
		endpoints: []string{"0 /which public"},
		// One listener behind two buttons: each call names its trigger.
		calls: []callWant{
			{fn: 0, api: "/which", in: `text="hi"`, out: `"Button First: hi"`},
			{fn: 0, api: "/which", in: `text="hi"`, out: `"Button Second: hi"`},
		},
		check: func(t *testing.T, g *goldenRun) {
			if !g.rec.App.Endpoints[0].EventData {
				t.Error("/which: collects_event_data is not recorded")
			}
			first, second := g.rec.Calls[0].TriggerID, g.rec.Calls[1].TriggerID
			if first == nil || second == nil || *first == *second {
				t.Errorf("trigger ids %v and %v, want the two buttons' ids", first, second)
			}
		},
	},
	"files": {
		endpoints: []string{"0 /mirror public", "1 /stats public"},
		calls: []callWant{
			{fn: 0, api: "/mirror", in: `image="@pattern.png"`, out: `"@mirrored.png"`},
			{fn: 1, api: "/stats", in: `file="@sample.txt"`, out: `"@sample.stats.txt"`},
		},
		check: checkFiles,
		page: func(t *testing.T, tab context.Context) {
			ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](`[...document.querySelectorAll("img")].some((i) => i.src.includes("mirrored"))`))
			if err != nil || !ok {
				t.Errorf("no mirrored image on the page (%v)", err)
			}
		},
	},
	"multi": {
		endpoints: []string{
			"0 /greet public", "1 /shout undocumented", "2 /whisper private", "3 /js_fn private js",
			"4 /add_ints public", "5 /step_one public", "6 /step_two public", "7 /length public run",
		},
		// The "Reverse in browser" click runs js_fn in the page: no call.
		calls: []callWant{
			{fn: 0, api: "/greet", in: `name="Ada"`, out: `"Hello, Ada!"`},
			{fn: 1, api: "/shout", in: `name="Ada"`, out: `"ADA!"`},
			{fn: 2, api: "/whisper", in: `param_0="Ada"`, out: `"ada..."`}, // not in /info: no parameter name
			{fn: 5, api: "/step_one", in: `text="begin"`, out: `"begin -> one"`},
			{fn: 6, api: "/step_two", in: `text="begin -> one"`, out: `"begin -> one -> two"`},
			{fn: 7, api: "/length", in: `name="Ada"`, out: "3", run: true},
		},
	},
	"noisy":         noisyWant("3", "2"),
	"noisy_changed": noisyWant("4", "3"),
	"slow": {
		endpoints: []string{"0 /wait public", "1 /ticker public generator", "2 /unnamed private js", "3 /unnamed_1 private js"},
		calls: []callWant{
			{fn: 0, api: "/wait", in: `label="first"`, out: `"done: first"`},
			{fn: 1, api: "/ticker", in: `prefix="tick"`, status: recording.Cancelled, updates: []string{`"tick 1"`}},
		},
		check: func(t *testing.T, g *goldenRun) {
			// However many ticks arrived before the Stop, they count up.
			for i, u := range g.rec.Calls[1].Updates {
				if got, want := valsOf(u), fmt.Sprintf(`"tick %d"`, i+1); got != want {
					t.Errorf("ticker update %d: %s, want %s", i, got, want)
				}
			}
		},
		page: func(t *testing.T, tab context.Context) {
			before := valueOf(t, tab, "ticks")
			time.Sleep(500 * time.Millisecond)
			if after := valueOf(t, tab, "ticks"); !strings.HasPrefix(before, "tick ") || after != before {
				t.Errorf("the ticker shows %q, then %q: want it stopped", before, after)
			}
		},
	},
	"state": {
		endpoints: []string{"0 /count_words public", "1 /list_words public"},
		// One session: the State grows with each word.
		calls: []callWant{
			{fn: 0, api: "/count_words", in: `word="apple"`, out: `1 "apple"`},
			{fn: 0, api: "/count_words", in: `word="banana"`, out: `2 "apple banana"`},
			{fn: 0, api: "/count_words", in: `word="cherry"`, out: `3 "apple banana cherry"`},
			{fn: 1, api: "/list_words", in: ``, out: `["apple","banana","cherry"]`},
		},
		page: func(t *testing.T, tab context.Context) {
			if got := valueOf(t, tab, "word_list"); !strings.Contains(got, "apple") || !strings.Contains(got, "cherry") {
				t.Errorf("word_list shows %q, want the three words", got)
			}
		},
	},
	"stream": {
		endpoints: []string{"0 /grow public generator", "1 /count public generator", "2 /progress public"},
		calls: []callWant{
			{fn: 0, api: "/grow", in: `text="stream me"`, out: `"stream me"`, updates: prefixes("stream me")},
			{fn: 1, api: "/count", in: `n=5`, out: "5", updates: []string{"1", "2", "3", "4", "5"}},
			{fn: 2, api: "/progress", in: `steps=4`, out: `"Finished 4 steps"`,
				log: []string{"info: Starting 4 steps", "warning: Almost done"}, progress: "Working: 4 steps"},
		},
	},
	"text": {
		endpoints: []string{"0 /analyze public"},
		calls: []callWant{
			{fn: 0, api: "/analyze", in: `text="Hello gradio world"`,
				out: `"dlrow oidarg olleH" 3 {"length":18,"upper":"HELLO GRADIO WORLD","words":["Hello","gradio","world"]}`},
			{fn: 0, api: "/analyze", in: `text="steps files drive the UI"`, // by Enter in the textbox
				out: `"IU eht evird selif spets" 5 {"length":24,"upper":"STEPS FILES DRIVE THE UI","words":["steps","files","drive","the","UI"]}`},
		},
	},
}

// valueOf reads the value a component shows in the tab, as a steps file's
// wait step reads it.
func valueOf(t *testing.T, tab context.Context, target string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	v, err := steps.Value(ctx, target)
	if err != nil {
		t.Fatalf("read %s: %v", target, err)
	}
	return v
}

// noisyWant is the row of noisy.py and noisy_changed.py, whose word counts
// for "make some noise" and "quiet please" differ.
func noisyWant(words1, words2 string) appWant {
	report := func(text, words string) string {
		return fmt.Sprintf(`{"length":%d,"nonce":"<varies>","text":%q,"timestamp":"<varies>","words":%s}`, len(text), text, words)
	}
	return appWant{
		endpoints: []string{"0 /report public"},
		calls: []callWant{
			{fn: 0, api: "/report", in: `text="make some noise"`, out: report("make some noise", words1)},
			{fn: 0, api: "/report", in: `text="quiet please"`, out: report("quiet please", words2)},
		},
		noise: map[string][]string{"/report": {"/0/nonce", "/0/timestamp"}},
		check: func(t *testing.T, g *goldenRun) {
			checkNoise(t, g, "/report", "/0/nonce", `^"[0-9a-f]{16}"$`)            // secrets.token_hex(8)
			checkNoise(t, g, "/report", "/0/timestamp", `^[1-9][0-9]{9}\.[0-9]+$`) // time.time()
		},
	}
}

// prefixes returns the JSON strings s[:1], s[:2], … s.
func prefixes(s string) []string {
	var out []string
	for i := range len(s) {
		out = append(out, fmt.Sprintf("%q", s[:i+1]))
	}
	return out
}

// checkNoise checks the shape of a value that varies: in every call of the
// endpoint, the value at the pointer into the outputs matches pattern.
func checkNoise(t *testing.T, g *goldenRun, apiName, pointer, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for _, c := range callsOf(g.rec, apiName) {
		v, err := decodeValue(outputsArray(c.Outputs))
		if err == nil {
			v, err = lookupPointer(v, pointer)
		}
		if got := string(encodeValue(v)); err != nil || !re.MatchString(got) {
			t.Errorf("call %d %s: outputs%s is %s (%v), want it to match %s", c.ID, apiName, pointer, got, err, pattern)
		}
	}
}

// checkFiles compares the files app's fixtures with the files the steps
// uploaded (testdata/steps/fixtures) and with what the app returns for them.
func checkFiles(t *testing.T, g *goldenRun) {
	fixtures := filepath.Join(gradiotest.Root(t), "testdata", "steps", "fixtures")
	png, err := os.ReadFile(filepath.Join(fixtures, "pattern.png"))
	if err != nil {
		t.Fatal(err)
	}
	txt, err := os.ReadFile(filepath.Join(fixtures, "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	report := fmt.Sprintf("name: sample.txt\nbytes: %d\nsha256: %s\nlines: 2\n", len(txt), sum(txt))
	want := map[string]struct {
		role  string
		check func(b []byte) bool
		what  string
	}{
		"pattern.png":      {recording.RoleInput, func(b []byte) bool { return string(b) == string(png) }, "the bytes of testdata/steps/fixtures/pattern.png"},
		"sample.txt":       {recording.RoleInput, func(b []byte) bool { return string(b) == string(txt) }, "the bytes of testdata/steps/fixtures/sample.txt"},
		"mirrored.png":     {recording.RoleOutput, func(b []byte) bool { return sum(b) == mirroredSHA256 }, "the mirrored PNG, sha256 " + mirroredSHA256},
		"sample.stats.txt": {recording.RoleOutput, func(b []byte) bool { return string(b) == report }, fmt.Sprintf("%q", report)},
	}
	var names []string
	for _, f := range g.rec.Files {
		names = append(names, f.OrigName)
		w, ok := want[f.OrigName]
		if !ok {
			continue
		}
		b, err := g.rec.FileBytes(f.Name)
		switch {
		case err != nil:
			t.Errorf("fixture %s: %v", f.Name, err)
		case f.Role != w.role || !f.Stored:
			t.Errorf("fixture %s: role %s, stored %t; want %s, stored", f.Name, f.Role, f.Stored, w.role)
		case !w.check(b):
			t.Errorf("fixture %s holds %q, want %s", f.Name, b, w.what)
		}
	}
	slices.Sort(names)
	if want := []string{"mirrored.png", "pattern.png", "sample.stats.txt", "sample.txt"}; !slices.Equal(names, want) {
		t.Errorf("fixtures %q, want %q", names, want)
	}
}

// mirroredSHA256 is the hash of files.py's mirror of pattern.png (the same
// with every Pillow the apps run with, testdata/apps/README.md).
const mirroredSHA256 = "3092d2509d7aaea9098f0698de27d383c94246e6df4b26a7710b0b61cf15aa98"

// checkChat checks the chat app's session: the UI sends each message
// through a chain of internal endpoints (which differ between Gradio
// versions) and the bot's reply streams in word by word.
func checkChat(t *testing.T, g *goldenRun) {
	var bots []recording.Call
	for _, c := range g.rec.Calls {
		if ep := g.rec.Endpoint(c.FnIndex); ep != nil && ep.Generator {
			bots = append(bots, c)
		}
		if c.Status != recording.Completed {
			t.Errorf("call %d %s: %s, want completed", c.ID, c.APIName, c.Status)
		}
	}
	replies := []string{"You said: hi there", "You said: how are you"}
	if len(bots) != len(replies) {
		t.Fatalf("%d calls of a generator, want one per message: %s", len(bots), jsonOf(g.rec.Calls))
	}
	for i, bot := range bots {
		var got, want []string
		for _, u := range bot.Updates {
			h := chatHistory(t, u)
			got = append(got, h[len(h)-1])
		}
		words := strings.Split(replies[i], " ")
		for n := range words {
			want = append(want, "assistant: "+strings.Join(words[:n+1], " "))
		}
		if !slices.Equal(got, want) {
			t.Errorf("reply %d grows %q, want %q", i+1, got, want)
		}
	}
	last := bots[len(bots)-1]
	want := []string{"user: hi there", "assistant: You said: hi there", "user: how are you", "assistant: You said: how are you"}
	if got := chatHistory(t, last.Outputs); !slices.Equal(got, want) {
		t.Errorf("the history after the second reply is %q, want %q", got, want)
	}
}

// checkChatTone checks the chat with an additional input: every call
// completed, and the last chatbot value is the two turns, each in the tone
// chosen before it.
func checkChatTone(t *testing.T, g *goldenRun) {
	want := []string{"user: hi there", "assistant: YOU SAID: HI THERE!", "user: how are you", "assistant: You said: how are you"}
	if got := chatHistory(t, lastChatbot(t, g)); !slices.Equal(got, want) {
		t.Errorf("the history after the second reply is %q, want %q", got, want)
	}
}

// checkChatFiles: the multimodal chat's two replies, the first describing
// the file sent with its message, the second numbered after it (the
// history carried over).
func checkChatFiles(t *testing.T, g *goldenRun) {
	var replies []string
	for _, m := range chatHistory(t, lastChatbot(t, g)) {
		if r, ok := strings.CutPrefix(m, "assistant: "); ok {
			replies = append(replies, r)
		}
	}
	want := []string{"Reply 1: what is in this file? | sample.txt: 47 bytes, sha256 aa597c4e", "Reply 2: and now?"}
	if !slices.Equal(replies, want) {
		t.Errorf("the replies are %q, want %q", replies, want)
	}
}

// lastChatbot returns the outputs of the last call that outputs a chatbot,
// and checks that every call completed.
func lastChatbot(t *testing.T, g *goldenRun) []json.RawMessage {
	t.Helper()
	var last []json.RawMessage
	for _, c := range g.rec.Calls {
		if c.Status != recording.Completed {
			t.Errorf("call %d %s: %s, want completed", c.ID, c.APIName, c.Status)
		}
		if ep := g.rec.Endpoint(c.FnIndex); ep != nil && slices.ContainsFunc(ep.Outputs, func(o recording.Component) bool { return o.Type == "chatbot" }) {
			last = c.Outputs
		}
	}
	return last
}

// chatHistory returns the messages of the Chatbot value in a call's outputs
// (the one output that is a list) as "<role>: <text>". The content is a
// string (4.x, 5.x) or a list of {"type": "text", "text": …} parts (6.x).
func chatHistory(t *testing.T, outputs []json.RawMessage) []string {
	t.Helper()
	type message struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	for _, o := range outputs {
		var msgs []message
		if json.Unmarshal(o, &msgs) != nil {
			continue
		}
		var out []string
		for _, m := range msgs {
			var text string
			if bytes.HasPrefix(m.Content, []byte("{")) {
				text = "<file>" // 4.x, 5.x: a file sent in a multimodal message
			} else if json.Unmarshal(m.Content, &text) != nil {
				var parts []struct{ Type, Text string }
				if err := json.Unmarshal(m.Content, &parts); err != nil {
					t.Fatalf("message content %s: %v", m.Content, err)
				}
				for _, p := range parts {
					text += p.Text
				}
			}
			out = append(out, m.Role+": "+text)
		}
		return out
	}
	t.Fatalf("no chat history in %s", valsOf(outputs))
	return nil
}

// checkCalls compares the recorded calls with the row's.
func (w appWant) checkCalls(t *testing.T, g *goldenRun) {
	t.Helper()
	if w.calls == nil {
		return
	}
	if len(g.rec.Calls) != len(w.calls) {
		t.Errorf("%d calls, want %d: %s", len(g.rec.Calls), len(w.calls), jsonOf(g.rec.Calls))
		return
	}
	for i, want := range w.calls {
		c := g.rec.Calls[i]
		where := fmt.Sprintf("call %d (%s)", c.ID, want.api)
		problem := func(field string, got, want any) {
			t.Errorf("%s: %s %v, want %v", where, field, got, want)
		}
		noise := w.noise[c.APIName]
		if c.FnIndex != want.fn {
			problem("fn_index", c.FnIndex, want.fn)
		}
		if api := apiNameOn(g.version, want.api, g.rec.Endpoint(c.FnIndex)); c.APIName != api {
			problem("api_name", c.APIName, api)
		}
		if got := renderArgs(t, c.Inputs); got != want.in {
			problem("inputs", got, want.in)
		}
		if got := renderVals(t, c.Outputs, noise); got != want.out {
			problem("outputs", got, want.out)
		}
		var updates []string
		for _, u := range c.Updates {
			updates = append(updates, renderVals(t, u, noise))
		}
		if want.status == recording.Cancelled && len(updates) >= len(want.updates) {
			updates = updates[:len(want.updates)]
		}
		if !slices.Equal(updates, want.updates) {
			problem("updates", updates, want.updates)
		}
		if status := cmpOr(want.status, recording.Completed); c.Status != status {
			problem("status", c.Status, status)
		}
		checkError(t, where, g.version, c.Error, want.err)
		if via := map[bool]string{true: recording.ViaRun, false: recording.ViaQueue}[want.run]; c.Via != via {
			problem("via", c.Via, via)
		}
		var log []string
		for _, l := range c.Log {
			log = append(log, l.Level+": "+l.Message)
		}
		if !slices.Equal(log, want.log) {
			problem("log", log, want.log)
		}
		checkProgress(t, where, c.Progress, want.progress)
	}
}

// apiNameOn returns the api_name an endpoint named api has on a Gradio
// version: none for a private endpoint with a backend function before 6.x.
func apiNameOn(version, api string, ep *recording.Endpoint) string {
	if ep != nil && ep.Visibility == recording.Private && ep.BackendFn && major(version) < 6 {
		return ""
	}
	return api
}

// major returns the major number of a version like "6.31.0".
func major(version string) int {
	var n int
	fmt.Sscanf(version, "%d", &n)
	return n
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkError compares a call's error with the gr.Error message want ("" for
// none). Gradio 4 quotes the message (it sends the exception's repr) and
// sends no title; later versions send the title "Error".
func checkError(t *testing.T, where, version string, got *recording.Error, want string) {
	t.Helper()
	switch {
	case want == "" && got == nil:
	case want == "" || got == nil:
		t.Errorf("%s: error %s, want %q", where, jsonOf(got), want)
	case major(version) < 5:
		if *got != (recording.Error{Message: "'" + want + "'"}) {
			t.Errorf("%s: error %s, want the message '%s' (quoted) without a title", where, jsonOf(got), want)
		}
	default:
		if *got != (recording.Error{Message: want, Title: "Error"}) {
			t.Errorf("%s: error %s, want the message %q titled Error", where, jsonOf(got), want)
		}
	}
}

// checkProgress checks gr.Progress updates against "<desc>: <length>
// <unit>" ("" for none). How many arrive depends on timing (Gradio samples
// progress every 0.1 s), so any number from one will do.
func checkProgress(t *testing.T, where string, got []recording.Progress, want string) {
	t.Helper()
	if want == "" {
		if len(got) > 0 {
			t.Errorf("%s: progress %s, want none", where, jsonOf(got))
		}
		return
	}
	var desc, unit string
	var length int
	if _, err := fmt.Sscanf(want, "%s %d %s", &desc, &length, &unit); err != nil {
		t.Fatalf("progress %q: %v", want, err)
	}
	desc = strings.TrimSuffix(desc, ":")
	last := -1
	for _, p := range got {
		b := p.Bars
		if len(b) != 1 || b[0].Index == nil || *b[0].Index <= last || *b[0].Index >= length || b[0].Length == nil ||
			*b[0].Length != length || b[0].Desc != desc || b[0].Unit != unit {
			t.Errorf("%s: progress %s, want bars %q with ascending indexes", where, jsonOf(got), want)
			return
		}
		last = *b[0].Index
	}
	if len(got) == 0 {
		t.Errorf("%s: no progress, want %q", where, want)
	}
}

// checkEndpoints compares the app's endpoints with the row's.
func (w appWant) checkEndpoints(t *testing.T, g *goldenRun) {
	t.Helper()
	byName := map[string]string{}
	var got []string
	for _, ep := range g.rec.App.Endpoints {
		line := endpointLine(ep)
		got = append(got, line)
		byName[ep.APIName] = line
	}
	var want []string
	for _, line := range w.endpoints {
		f := strings.Fields(line)
		if _, err := fmt.Sscanf(f[0], "%d", new(int)); err != nil { // no fn_index: match by name
			if l, ok := byName[f[0]]; !ok || strings.Join(strings.Fields(l)[1:], " ") != line {
				t.Errorf("endpoint %q: got %q", line, l)
			}
			continue
		}
		if f[2] == recording.Private && !slices.Contains(f, "js") && major(g.version) < 6 {
			f[1] = "-"
		}
		want = append(want, strings.Join(f, " "))
	}
	if !w.partial && !slices.Equal(got, want) {
		t.Errorf("endpoints\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	for _, l := range want {
		if w.partial && !slices.Contains(got, l) {
			t.Errorf("no endpoint %q in\n\t%s", l, strings.Join(got, "\n\t"))
		}
	}
}

// endpointLine describes an endpoint as appWant.endpoints does.
func endpointLine(ep recording.Endpoint) string {
	f := []string{fmt.Sprint(ep.FnIndex), cmpOr(ep.APIName, "-"), ep.Visibility}
	if ep.Generator {
		f = append(f, "generator")
	}
	if !ep.BackendFn {
		f = append(f, "js")
	} else if !ep.Queue {
		f = append(f, "run")
	}
	return strings.Join(f, " ")
}

// renderArgs writes named inputs as the table does.
func renderArgs(t *testing.T, args []recording.Arg) string {
	t.Helper()
	var s []string
	for _, a := range args {
		s = append(s, a.Name+"="+renderValue(t, a.Value, ""))
	}
	return strings.Join(s, " ")
}

// renderVals writes a call's outputs (or one update) as the table does,
// with the values at the noise pointers replaced.
func renderVals(t *testing.T, vals []json.RawMessage, noise []string) string {
	t.Helper()
	vals = maskNoise(t, vals, noise)
	var s []string
	for i, v := range vals {
		s = append(s, renderValue(t, v, fmt.Sprint(i)))
	}
	return strings.Join(s, " ")
}

// renderValue writes one value as compact JSON with sorted keys and every
// FileData as "@<orig_name>".
func renderValue(t *testing.T, raw json.RawMessage, where string) string {
	t.Helper()
	v, err := decodeValue(raw)
	if err != nil {
		t.Fatalf("value %s %s: %v", where, raw, err)
	}
	v = replaceFiles(v, func(fd map[string]any) any { return "@" + fileName(fd) })
	return string(encodeValue(v))
}

// replaceFiles returns v with every FileData object replaced by what f
// returns for it.
func replaceFiles(v any, f func(fd map[string]any) any) any {
	if fd, ok := isFileData(v); ok {
		return f(fd)
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = replaceFiles(e, f)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = replaceFiles(e, f)
		}
		return out
	}
	return v
}

// varies replaces a value that differs on every call.
const varies = "<varies>"

// maskNoise returns vals (a call's outputs or one update) with the values
// at the JSON Pointers replaced by varies; vals itself is left alone.
func maskNoise(t *testing.T, vals []json.RawMessage, pointers []string) []json.RawMessage {
	t.Helper()
	if len(pointers) == 0 || len(vals) == 0 {
		return vals
	}
	v, err := decodeValue(outputsArray(vals))
	if err != nil {
		t.Fatalf("outputs %s: %v", valsOf(vals), err)
	}
	for _, p := range pointers {
		if err := setPointer(v, p, varies); err != nil {
			t.Fatalf("noise %s in %s: %v", p, valsOf(vals), err)
		}
	}
	out := make([]json.RawMessage, len(vals))
	for i, e := range v.([]any) {
		out[i] = encodeValue(e)
	}
	return out
}

// outputsArray joins a call's output values into one JSON array, the value
// a Mask's path points into.
func outputsArray(vals []json.RawMessage) json.RawMessage {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = string(v)
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

// lookupPointer returns the value at a JSON Pointer.
func lookupPointer(v any, pointer string) (any, error) {
	for _, tok := range pointerTokens(pointer) {
		switch x := v.(type) {
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no element %q", tok)
			}
			v = x[i]
		case map[string]any:
			e, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			v = e
		default:
			return nil, fmt.Errorf("%q: not a container", tok)
		}
	}
	return v, nil
}

// setPointer replaces the value at a JSON Pointer (not the root).
func setPointer(v any, pointer string, value any) error {
	toks := pointerTokens(pointer)
	if len(toks) == 0 {
		return fmt.Errorf("cannot replace the root")
	}
	parent, err := lookupPointer(v, "/"+strings.Join(toks[:len(toks)-1], "/"))
	if len(toks) == 1 {
		parent, err = v, nil
	}
	if err != nil {
		return err
	}
	last := toks[len(toks)-1]
	switch x := parent.(type) {
	case []any:
		var i int
		if _, err := fmt.Sscanf(last, "%d", &i); err != nil || i < 0 || i >= len(x) {
			return fmt.Errorf("no element %q", last)
		}
		x[i] = value
	case map[string]any:
		if _, ok := x[last]; !ok {
			return fmt.Errorf("no member %q", last)
		}
		x[last] = value
	default:
		return fmt.Errorf("%q: not a container", last)
	}
	return nil
}

// pointerTokens splits a JSON Pointer into its unescaped tokens.
func pointerTokens(pointer string) []string {
	if pointer == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, tok := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	}
	return toks
}
