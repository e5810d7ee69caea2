package recording

import "testing"

func TestEndpoint(t *testing.T) {
	rec := sampleRecording()
	// fn_index 3 sits at position 1: Endpoint must search, not index.
	if e := rec.Endpoint(3); e == nil || e.APIName != "/count" {
		t.Errorf("Endpoint(3) = %+v", e)
	}
	if e := rec.Endpoint(1); e != nil {
		t.Errorf("Endpoint(1) = %+v, want nil", e)
	}
	rec.Endpoint(0).APIName = "/changed"
	if rec.App.Endpoints[0].APIName != "/changed" {
		t.Error("Endpoint does not point into the recording")
	}
}

func TestCall(t *testing.T) {
	rec := sampleRecording()
	if c := rec.Call(2); c == nil || c.APIName != "/count" {
		t.Errorf("Call(2) = %+v", c)
	}
	if c := rec.Call(0); c != nil {
		t.Errorf("Call(0) = %+v, want nil", c)
	}
	// A recording being made, or not valid, may hold its calls out of order.
	shuffled := &Recording{Calls: []Call{{ID: 5}, {ID: 2}, {ID: 9}, {ID: 1}, {ID: 7}}}
	for _, id := range []int{5, 2, 9, 1, 7} {
		if c := shuffled.Call(id); c == nil || c.ID != id {
			t.Errorf("out of order: Call(%d) = %+v", id, c)
		}
	}
	if c := shuffled.Call(3); c != nil {
		t.Errorf("out of order: Call(3) = %+v, want nil", c)
	}
}

func TestFile(t *testing.T) {
	rec := sampleRecording()
	if f := rec.File(rec.Files[1].Name); f == nil || f.OrigName != "image.webp" {
		t.Errorf("File = %+v", f)
	}
	if f := rec.File("x"); f != nil {
		t.Errorf("File(x) = %+v, want nil", f)
	}
}

func TestSessionCalls(t *testing.T) {
	rec := sampleRecording()
	rec.Calls = append(rec.Calls, Call{ID: 3, Session: "s1"})
	var ids []int
	for _, c := range rec.SessionCalls("s1") {
		ids = append(ids, c.ID)
	}
	if len(ids) != 2 || ids[0] != 1 || ids[1] != 3 {
		t.Errorf("SessionCalls(s1) = %v, want [1 3]", ids)
	}
	if got := rec.SessionCalls("nope"); len(got) != 0 {
		t.Errorf("SessionCalls(nope) = %v", got)
	}
}
