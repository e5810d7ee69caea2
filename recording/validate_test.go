package recording

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(r *Recording)
		want   string
	}{
		{"format", func(r *Recording) { r.Format = "gradiorec.recording/v0" }, `format "gradiorec.recording/v0" is not gradiorec.recording/v1`},
		{"duplicate fn_index", func(r *Recording) { r.App.Endpoints[1].FnIndex = 0 }, "endpoint fn_index 0: fn_index listed twice"},
		{"visibility", func(r *Recording) { r.App.Endpoints[0].Visibility = "hidden" }, `endpoint fn_index 0: unknown visibility "hidden"`},
		{"api_name slash", func(r *Recording) { r.App.Endpoints[1].APIName = "count"; r.Calls[1].APIName = "count" }, `endpoint fn_index 3: api_name "count" does not start with /`},
		{"component type", func(r *Recording) { r.App.Endpoints[0].Outputs[0].Type = "" }, "endpoint fn_index 0: output 0 (component 4) has no type"},
		{"parameter type json", func(r *Recording) { r.App.Endpoints[0].Parameters[0].Type = raw(`{`) }, "endpoint fn_index 0: parameter 0 type: not valid JSON"},
		{"session id", func(r *Recording) { r.Sessions[1].ID = "" }, "session 2: no id"},
		{"duplicate session", func(r *Recording) { r.Sessions[1].ID = "s1"; r.Calls[1].Session = "s1" }, `session "s1": listed twice`},
		{"duplicate hash", func(r *Recording) { r.Sessions[1].Hash = r.Sessions[0].Hash }, `session "s2": hash "k3f9x2q8w1z" is also another session's`},
		{"unknown session", func(r *Recording) { r.Calls[0].Session = "s9" }, `call 1: session "s9" is not in sessions`},
		{"duplicate call id", func(r *Recording) { r.Calls[1].ID = 1 }, "call 1: id used twice"},
		{"call id zero", func(r *Recording) { r.Calls[0].ID = 0 }, "call 0 (position 1): id must be positive"},
		{"descending ids", func(r *Recording) { r.Calls[0].ID = 5; r.Masks = nil }, "call 2: ids must ascend, but it follows call 5"},
		{"unknown endpoint", func(r *Recording) { r.Calls[1].FnIndex = 9 }, "call 2: fn_index 9 is not an endpoint of the app"},
		{"api_name mismatch", func(r *Recording) { r.Calls[1].APIName = "/paint" }, `call 2: api_name "/paint", but endpoint fn_index 3 is "/count"`},
		{"via", func(r *Recording) { r.Calls[0].Via = "ws" }, `call 1: unknown via "ws"`},
		{"status", func(r *Recording) { r.Calls[0].Status = "done" }, `call 1: unknown status "done" (want "completed", "error", "cancelled" or "incomplete")`},
		{"input name", func(r *Recording) { r.Calls[0].Inputs[0].Name = "" }, "call 1: input 0 has no name"},
		{"duplicate input", func(r *Recording) { r.Calls[0].Inputs[1].Name = "prompt" }, `call 1: input "prompt" given twice`},
		{"input json", func(r *Recording) { r.Calls[0].Inputs[0].Value = raw(`"x`) }, `call 1: input "prompt": not valid JSON`},
		{"data json", func(r *Recording) { r.Calls[0].Data[0] = raw(`nope`) }, "call 1: data 0: not valid JSON"},
		{"event data json", func(r *Recording) { r.Calls[0].EventData = raw(`{]`) }, "call 1: event_data: not valid JSON"},
		{"output json", func(r *Recording) { r.Calls[0].Outputs[0] = raw(`[`) }, "call 1: output 0: not valid JSON"},
		{"update json", func(r *Recording) { r.Calls[0].Updates[1][0] = raw(`}`) }, "call 1: update 1 output 0: not valid JSON"},
		{"duration", func(r *Recording) { r.Calls[0].Duration = -1 }, "call 1: negative duration -1"},
		{"server time", func(r *Recording) { r.Calls[0].ServerTime = -2 }, "call 1: negative server_time -2"},
		{"log level", func(r *Recording) { r.Calls[0].Log[0].Level = "debug" }, `call 1: log 0: unknown level "debug"`},
		{"unlisted fixture", func(r *Recording) { r.Files = r.Files[:1] },
			fmt.Sprintf("call 1: /outputs/0 refers to fixture %q, which is not in files", sampleRecording().Files[1].Name)},
		{"file name", func(r *Recording) { r.Files[0].Name = "cat.png"; r.Calls = nil; r.Masks = nil }, `file cat.png: fixture name "cat.png" is not <sha256 hex>/<name>`},
		{"file hash mismatch", func(r *Recording) { r.Files[0].SHA256 = r.Files[1].SHA256 }, "name does not start with its sha256"},
		{"file sha", func(r *Recording) { r.Files[0].SHA256 = "ABC" }, `sha256 "ABC" is not 64 lower-case hex digits`},
		{"duplicate file", func(r *Recording) { r.Files[1] = r.Files[0] }, "listed twice"},
		{"file size", func(r *Recording) { r.Files[0].Size = -1 }, "negative size -1"},
		{"file role", func(r *Recording) { r.Files[0].Role = "both" }, `unknown role "both"`},
		{"mask path", func(r *Recording) { r.Masks[0].Path = "0/url" }, `mask 1: path "0/url" is not a JSON Pointer`},
		{"mask escape", func(r *Recording) { r.Masks[0].Path = "/a~2" }, `mask 1: path "/a~2": ~ must be followed by 0 or 1`},
		{"mask call", func(r *Recording) { r.Masks[0].Call = 7 }, "mask 1: call 7 does not exist"},
		{"mask endpoint", func(r *Recording) { r.Masks[0].Endpoint = "/gone"; r.Masks[0].Call = 0 }, `mask 1: endpoint "/gone" is not an api_name of the app`},
		{"mask call and endpoint", func(r *Recording) { r.Masks[0].Call = 2 }, `mask 1: call 2 is "/count", not endpoint "/paint"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := sampleRecording()
			tc.mutate(rec)
			err := rec.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %q\nwant it to say %q", err, tc.want)
			}
		})
	}
}

func TestValidateAcceptsVariants(t *testing.T) {
	for name, change := range map[string]func(r *Recording){
		"no format yet": func(r *Recording) { r.Format = "" },
		"gaps in ids":   func(r *Recording) { r.Calls[1].ID = 7 },
		"every status":  func(r *Recording) { r.Calls[0].Status = Cancelled; r.Calls[1].Status = Incomplete },
		"mask on every call": func(r *Recording) {
			r.Masks = append(r.Masks, Mask{Path: ""}, Mask{Endpoint: "/count", Path: "/0/a~1b~0"})
		},
		"no api names":      func(r *Recording) { r.Calls[1].APIName = "" },
		"empty recording":   func(r *Recording) { *r = Recording{} },
		"unreferenced file": func(r *Recording) { r.AddFile([]byte("spare"), "spare.txt", "", RoleOutput) },
		"unstored fixture":  func(r *Recording) { r.Files[1].Stored = false },
		"every log level": func(r *Recording) {
			r.Calls[0].Log = []Log{{Level: "info"}, {Level: "warning"}, {Level: "success"}, {Level: "error"}}
		},
		"session without hash": func(r *Recording) { r.Sessions = append(r.Sessions, Session{ID: "s3"}, Session{ID: "s4"}) },
	} {
		rec := sampleRecording()
		change(rec)
		if err := rec.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
