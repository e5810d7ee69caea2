package recorder

import (
	"sync"
	"testing"
)

func TestQueue(t *testing.T) {
	q := newQueue[int]()
	var got []int
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			v, ok := q.pop()
			if !ok {
				return
			}
			got = append(got, v)
		}
	})
	for i := range 1000 {
		q.push(i)
	}
	q.close()
	wg.Wait()
	if len(got) != 1000 {
		t.Fatalf("got %d items", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("item %d is %d", i, v)
		}
	}
	if q.push(1) {
		t.Error("push after close accepted")
	}
}
