package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"batchSize", "batchsize", 1}, {"fail-on", "fail_on", 1}, {"flaw", "lawn", 2},
		{string(make([]byte, 65)), "a", 65},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"batchSize", "batchWindow", "startingPosition", "enabled"}
	for _, tt := range []struct {
		s    string
		max  int
		want string
	}{
		{"BATCHSIZE", 2, "batchSize"},            // case alone
		{"batchSise", 2, "batchSize"},            // one edit
		{"batchWindw", 2, "batchWindow"},         // one edit, not the nearer prefix
		{"startPosition", 2, ""},                 // three edits
		{"startPosition", 3, "startingPosition"}, // within a wider bound
		{"enable", 2, "enabled"},
		{"x", 2, ""},
		{"batch", 10, "batchSize"}, // the nearest
	} {
		if got := Closest(tt.s, names, tt.max); got != tt.want {
			t.Errorf("Closest(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func TestClosest_TieKeepsTheFirst(t *testing.T) {
	if got := Closest("aa", []string{"ab", "ac"}, 2); got != "ab" {
		t.Errorf("got %q, want the first of two at one edit", got)
	}
}
