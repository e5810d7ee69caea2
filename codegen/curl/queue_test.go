package curl

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestQueueEvents runs the jq program of the queue function on event
// streams a real server cannot be made to send on demand: every kind of
// generator change (append, replace, add to a list and to an object,
// delete), another event's messages, heartbeats, a failure and an
// unexpected error. Each must come out as /call writes it.
func TestQueueEvents(t *testing.T) {
	jq, err := exec.LookPath("jq")
	gradiotest.Need(t, "jq", err)
	program := strings.TrimSuffix(strings.TrimPrefix(jqDefs, "JQ_DEFS='"), "'\n") +
		strings.TrimSuffix(strings.TrimPrefix(jqQueue, "JQ_QUEUE='"), "'\n")
	for _, tc := range []struct {
		name, stream, want string
	}{{
		name: "changes",
		stream: `data: {"msg": "estimation", "event_id": "e1", "rank": 0}
data: {"msg": "heartbeat", "event_id": null}
data: {"msg": "process_generating", "event_id": "e1", "output": {"data": ["He", [1, 2], {"a": 1}, "x"]}, "success": true}
data: {"msg": "process_generating", "event_id": "other", "output": {"data": [[["append", [], "zzz"]]]}, "success": true}
data: {"msg": "process_generating", "event_id": "e1", "output": {"data": [[["append", [], "llo"]], [["add", [1], 9], ["add", [3], 3]], [["add", ["b"], "é"]], [["replace", [], null]]]}, "success": true}
data: {"msg": "process_generating", "event_id": "e1", "output": {"data": [[], [["delete", [0], null]], [["delete", ["a"], null]], []]}, "success": true}
data: {"msg": "process_completed", "event_id": "e1", "output": {"data": ["Hello", [9, 2, 3], {"b": "é"}, null]}, "success": true}
data: {"msg": "close_stream", "event_id": null}`,
		want: `event: generating
data: ["He", [1, 2], {"a": 1}, "x"]
event: generating
data: ["Hello", [1, 9, 2, 3], {"a": 1, "b": "\u00e9"}, null]
event: generating
data: ["Hello", [9, 2, 3], {"b": "\u00e9"}, null]
event: complete
data: ["Hello", [9, 2, 3], {"b": "\u00e9"}, null]`,
	}, {
		name: "failure",
		stream: `data: {"msg": "process_starts", "event_id": "e1"}
data: {"msg": "process_completed", "event_id": "e1", "output": {"error": "Cannot divide by zero!"}, "success": false}`,
		want: `event: error
data: {"error": "Cannot divide by zero!"}`,
	}, {
		name:   "unexpected error",
		stream: `data: {"msg": "unexpected_error", "event_id": null, "message": "Server stopped unexpectedly.", "success": false}`,
		want: `event: error
data: {"error": "Server stopped unexpectedly."}`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(jq, "-nrR", "--arg", "id", "e1", program)
			cmd.Stdin = strings.NewReader(tc.stream + "\n")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("jq: %v\n%s", err, out)
			}
			if got := strings.TrimSpace(string(out)); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
