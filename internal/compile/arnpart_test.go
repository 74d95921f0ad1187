package compile

import (
	"strings"
	"testing"
)

// TestArnPart: arnPart is strings.Split(s, sep)[i], "" past the end.
func TestArnPart(t *testing.T) {
	for _, s := range []string{"", "a", ":", "::", "a:b", "a::c", ":b:", "arn:aws:kinesis:eu-west-1:1:stream/s", "arn:aws:dynamodb"} {
		parts := strings.Split(s, ":")
		for i := range 6 {
			want := ""
			if i < len(parts) {
				want = parts[i]
			}
			if got := arnPart(s, ':', i); got != want {
				t.Errorf("arnPart(%q, ':', %d) = %q, want %q", s, i, got, want)
			}
		}
	}
}
