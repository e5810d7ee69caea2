package intent

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

// recorded loads a golden recording of the repository's testdata.
func recorded(t *testing.T, version, app string) *recording.Recording {
	t.Helper()
	rec, err := recording.Load(filepath.Join("..", "..", "..", "testdata", "recordings", version, app+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestChatTurns: a two-message session of chat.py (a gr.ChatInterface) is
// 10 (Gradio 4.44) or 16 recorded calls to internal endpoints, and exactly
// two calls of the public /chat endpoint in the intent form, each with its
// message and, as output, its reply; every recorded call is accounted for.
func TestChatTurns(t *testing.T) {
	for _, v := range []string{"4.44.1", "5.49.1", "6.31.0"} {
		t.Run(v, func(t *testing.T) {
			rec := recorded(t, v, "chat")
			out, changes := Rewrite(rec)
			var got []string
			for _, c := range out.Calls {
				got = append(got, fmt.Sprintf("%s(%s=%s) -> %s", c.APIName, c.Inputs[0].Name, c.Inputs[0].Value, c.Outputs[0]))
			}
			want := []string{
				`/chat(message="hi there") -> "You said: hi there"`,
				`/chat(message="how are you") -> "You said: how are you"`,
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("intent calls:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(changes) != len(rec.Calls) {
				t.Errorf("%d changes for %d recorded calls", len(changes), len(rec.Calls))
			}
			for _, ch := range changes {
				if ch.Into == 0 || ch.Reason != ChatTurn {
					t.Errorf("call %d: %+v, want it made by a chat call", ch.Call, ch)
				}
			}
			if len(rec.Calls) < 10 {
				t.Errorf("the recording has %d calls: the original is changed", len(rec.Calls))
			}
		})
	}
}

// TestUnchanged: recordings without a chat or UI-only calls keep every call.
func TestUnchanged(t *testing.T) {
	for _, app := range []string{"calculator", "state", "multi", "cart", "stream", "files"} {
		rec := recorded(t, "6.31.0", app)
		out, changes := Rewrite(rec)
		if len(changes) != 0 || len(out.Calls) != len(rec.Calls) {
			t.Errorf("%s: %d of %d calls kept, changes %+v", app, len(out.Calls), len(rec.Calls), changes)
		}
	}
}

// TestUIOnly: a call whose outputs only change how the page looks is left
// out, unless it writes a State that a later call reads; a call with no
// output but State, and one whose output has a value, stay.
func TestUIOnly(t *testing.T) {
	state := recording.Component{ID: 9, Type: "state", Skip: true}
	box := recording.Component{ID: 1, Type: "textbox"}
	button := recording.Component{ID: 2, Type: "button", Skip: true}
	ep := func(fn int, in, out []recording.Component) recording.Endpoint {
		return recording.Endpoint{FnIndex: fn, APIName: fmt.Sprintf("/f%d", fn), Visibility: recording.Undocumented, BackendFn: true, Queue: true, Inputs: in, Outputs: out}
	}
	raw := func(s string) []json.RawMessage { return []json.RawMessage{json.RawMessage(s)} }
	rec := &recording.Recording{
		App: recording.App{Endpoints: []recording.Endpoint{
			ep(0, nil, []recording.Component{box}),
			ep(1, nil, []recording.Component{box, state}),
			ep(2, []recording.Component{state}, []recording.Component{box}),
			ep(3, nil, []recording.Component{button}),
			ep(4, nil, []recording.Component{state}),
			{FnIndex: 5, APIName: "/js", Visibility: recording.Private},
		}},
		Calls: []recording.Call{
			{ID: 1, Session: "s", FnIndex: 0, Status: recording.Completed, Outputs: raw(`{"__type__": "update", "interactive": false}`)},
			{ID: 2, Session: "s", FnIndex: 0, Status: recording.Completed, Outputs: raw(`{"__type__": "update", "value": "x"}`)},
			{ID: 3, Session: "s", FnIndex: 1, Status: recording.Completed, Outputs: raw(`{"__type__": "update", "visible": true}`)},
			{ID: 4, Session: "s", FnIndex: 2, Status: recording.Completed, Outputs: raw(`"y"`)},
			{ID: 5, Session: "s", FnIndex: 3, Status: recording.Completed},
			{ID: 6, Session: "s", FnIndex: 4, Status: recording.Completed},
			{ID: 7, Session: "s", FnIndex: 5, Status: recording.Completed},
			{ID: 8, Session: "s", FnIndex: 0, Status: recording.Failed},
		},
	}
	out, changes := Rewrite(rec)
	var kept []int
	for _, c := range out.Calls {
		kept = append(kept, c.ID)
	}
	if fmt.Sprint(kept) != "[2 3 4 6 8]" {
		t.Errorf("kept %v, want [2 3 4 6 8]", kept)
	}
	for _, ch := range changes {
		if ch.Into != 0 || ch.Reason != UIOnly {
			t.Errorf("call %d: %+v, want it left out as UI-only", ch.Call, ch)
		}
	}
}

// TestChatRetry: a session with a call of the chat's machinery outside a
// turn (a retry, from another button: it reads what the turn's calls
// wrote) keeps its turns' calls; only the UI-only ones are left out.
func TestChatRetry(t *testing.T) {
	rec := recorded(t, "6.31.0", "chat")
	retry := rec.Calls[len(rec.Calls)-1]
	button := 20
	retry.ID, retry.FnIndex, retry.APIName, retry.TriggerID = 100, 7, "/_pop_last_user_message", &button
	rec.Calls = append(rec.Calls, retry)
	out, changes := Rewrite(rec)
	for _, ch := range changes {
		if ch.Reason != UIOnly {
			t.Errorf("call %d: %+v, want the turns' calls kept", ch.Call, ch)
		}
	}
	if len(out.Calls)+len(changes) != len(rec.Calls) {
		t.Errorf("%d calls and %d left out of %d", len(out.Calls), len(changes), len(rec.Calls))
	}
}

// TestChatAdditionalInputs: each turn of chat_tone.py (a ChatInterface
// with a tone radio as additional input) is one /chat call with the tone
// chosen before it.
func TestChatAdditionalInputs(t *testing.T) {
	for _, v := range []string{"4.44.1", "5.49.1", "6.31.0"} {
		out, _ := Rewrite(recorded(t, v, "chat_tone"))
		var got []string
		for _, c := range out.Calls {
			var args []string
			for _, a := range c.Inputs {
				args = append(args, a.Name+"="+string(a.Value))
			}
			got = append(got, fmt.Sprintf("%s(%s) -> %s", c.APIName, strings.Join(args, ", "), c.Outputs[0]))
		}
		want := `/chat(message="hi there", tone="loud") -> "YOU SAID: HI THERE!"; /chat(message="how are you", tone="plain") -> "You said: how are you"`
		if strings.Join(got, "; ") != want {
			t.Errorf("%s: %s\nwant %s", v, strings.Join(got, "; "), want)
		}
	}
}

// TestChatFiles: each turn of chat_files.py (a multimodal ChatInterface)
// is one /chat call whose message carries the files sent with it (the
// first turn's text file, recorded as uploaded), and the reply, on every
// version: 5.x and 4.x add a message per file to the chatbot, 6.x one.
func TestChatFiles(t *testing.T) {
	for _, v := range []string{"4.44.1", "5.49.1", "6.31.0"} {
		out, changes := Rewrite(recorded(t, v, "chat_files"))
		var got []string
		for _, c := range out.Calls {
			var msg struct {
				Text  string
				Files []struct {
					OrigName string `json:"orig_name"`
				}
			}
			if len(c.Inputs) != 1 || json.Unmarshal(c.Inputs[0].Value, &msg) != nil {
				t.Fatalf("%s: call %d %s has inputs %+v, want one multimodal message", v, c.ID, c.APIName, c.Inputs)
			}
			var names []string
			for _, f := range msg.Files {
				names = append(names, f.OrigName)
			}
			got = append(got, fmt.Sprintf("%s(%q, %v) -> %s", c.APIName, msg.Text, names, c.Outputs[0]))
		}
		want := `/chat("what is in this file?", [sample.txt]) -> "Reply 1: what is in this file? | sample.txt: 47 bytes, sha256 aa597c4e"; ` +
			`/chat("and now?", []) -> "Reply 2: and now?"`
		if strings.Join(got, "; ") != want {
			t.Errorf("%s: %s\nwant %s", v, strings.Join(got, "; "), want)
		}
		for _, ch := range changes {
			if ch.Reason != ChatTurn {
				t.Errorf("%s: call %d: %+v, want it made by a chat call", v, ch.Call, ch)
			}
		}
	}
}
