package pathx

import "testing"

func TestRel(t *testing.T) {
	for _, c := range []struct {
		root, p, rel string
		within       bool
	}{
		{"/w", "/w", ".", true},
		{"/w", "/w/", ".", true},
		{"/w", "/w/a/b.yml", "a/b.yml", true},
		{"/w/", "/w/a", "a", true},
		{"/w", "/w/..foo", "..foo", true}, // a name that starts with dots is inside
		{"/w", "/w/a/../b", "b", true},
		{"/w", "/w/../x", "/x", false},
		{"/w", "/wx/a", "/wx/a", false}, // a sibling sharing the prefix is not inside
		{"/w", "/", "/", false},
		{"/w", "/other", "/other", false},
		{"/w/a", "/w", "/w", false},
		{".", "a/b", "a/b", true},
		{".", ".", ".", true},
		{".", "..", "..", false},
		{".", "../x", "../x", false},
		{"svc", "svc/../shared/x", "shared/x", false},
		{"svc", "svc/x\nname", "x\nname", true}, // a newline is just a character
		{"/w", "w/a", "w/a", false},             // relative against absolute: never inside
		{"w", "/w/a", "/w/a", false},
		{"", "a", "a", true}, // an empty root is the working directory
	} {
		rel, ok := Rel(c.root, c.p)
		if rel != c.rel || ok != c.within {
			t.Errorf("Rel(%q, %q) = %q, %v; want %q, %v", c.root, c.p, rel, ok, c.rel, c.within)
		}
		if Within(c.root, c.p) != c.within {
			t.Errorf("Within(%q, %q) = %v", c.root, c.p, !c.within)
		}
	}
}
