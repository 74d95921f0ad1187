package lint

import "testing"

// TestStreamProp holds the switch equal to streamProps, the list the
// messages name: every property at its index, near misses nowhere.
func TestStreamProp(t *testing.T) {
	for i, pr := range streamProps {
		if got := streamProp(pr.name); got != i {
			t.Errorf("streamProp(%q) = %d, want %d", pr.name, got, i)
		}
	}
	for _, k := range []string{"", "Arn", "stream", "batchsize", "filterPattern", "arn "} {
		if got := streamProp(k); got != -1 {
			t.Errorf("streamProp(%q) = %d, want -1", k, got)
		}
	}
}

// TestIsEventType holds the switch equal to eventTypes.
func TestIsEventType(t *testing.T) {
	for _, k := range eventTypes {
		if !isEventType(k) {
			t.Errorf("isEventType(%q) = false", k)
		}
	}
	for _, k := range []string{"", "Stream", "streams", "steam", "httpapi", "sqs "} {
		if isEventType(k) {
			t.Errorf("isEventType(%q) = true", k)
		}
	}
}

// TestHasVar holds hasVar equal to strings.Contains(s, "${").
func TestHasVar(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "$": false, "{": false, "${": true, "a${b}": true, "$$": false, "$${": true,
		"$ {": false, "{$": false, "arn:aws:x": false, "a$b$": false, "a$b${": true, "}${": true,
	} {
		if got := hasVar(s); got != want {
			t.Errorf("hasVar(%q) = %v, want %v", s, got, want)
		}
	}
}
