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

// TestStreamPairs holds the indexes the schema reads by equal to
// streamProps.
func TestStreamPairs(t *testing.T) {
	if n := len(streamPairs{}); n != len(streamProps) {
		t.Fatalf("streamPairs holds %d pairs, streamProps has %d", n, len(streamProps))
	}
	for i, name := range map[int]string{
		spArn: "arn", spType: "type", spConsumer: "consumer", spMaxRecordAge: "maximumRecordAgeInSeconds",
		spDestinations: "destinations", spFilters: "filterPatterns",
	} {
		if streamProps[i].name != name {
			t.Errorf("streamProps[%d] is %q, want %q", i, streamProps[i].name, name)
		}
	}
}
