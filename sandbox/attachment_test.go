package sandbox

import (
	"sync"
	"testing"
)

func TestAccountAttachment(t *testing.T) {
	a := NewAccount(Limits{})
	type key struct{}
	var got any
	a.Attachment(key{}, func(slot *any) { got = *slot })
	if got != nil {
		t.Fatalf("fresh slot holds %v", got)
	}
	// Concurrent creators agree on one value: the lock covers look-up
	// and store together.
	var wg sync.WaitGroup
	made := make([]*int, 8)
	for i := range made {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a.Attachment(key{}, func(slot *any) {
				if *slot == nil {
					*slot = new(int)
				}
				made[i] = (*slot).(*int)
			})
		}(i)
	}
	wg.Wait()
	for _, p := range made {
		if p != made[0] {
			t.Fatal("two values created for one key")
		}
	}
	// Another key is another slot; storing nil removes.
	a.Attachment(struct{ other int }{}, func(slot *any) { got = *slot })
	if got != nil {
		t.Fatalf("other key sees %v", got)
	}
	a.Attachment(key{}, func(slot *any) { *slot = nil })
	a.Attachment(key{}, func(slot *any) { got = *slot })
	if got != nil || len(a.attachments) != 0 {
		t.Fatalf("after removal: %v, %d attachments", got, len(a.attachments))
	}
	// A nil account keeps nothing.
	var none *Account
	none.Attachment(key{}, func(slot *any) { *slot = 1 })
	none.Attachment(key{}, func(slot *any) { got = *slot })
	if got != nil {
		t.Fatalf("nil account kept %v", got)
	}
}
