package lazyre

import (
	"sync"
	"testing"
)

func TestRegexp(t *testing.T) {
	r := New(`^a(b+)$`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if !r.MatchString("abb") || r.MatchString("ac") {
				t.Error("MatchString")
			}
		})
	}
	wg.Wait()
	if got := r.FindStringSubmatch("abbb"); len(got) != 2 || got[1] != "bbb" {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if got := r.ReplaceAllString("ab", "x"); got != "x" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if r.String() != `^a(b+)$` {
		t.Errorf("String = %q", r.String())
	}
}

func TestInvalidPanicsOnUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("no panic for an invalid pattern")
		}
	}()
	r.MatchString("")
}
