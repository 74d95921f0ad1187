package compile

import "testing"

// TestNamingWithoutIntermediates checks the one-allocation builders of
// logical IDs against the plain composition of lodash's steps they replace.
func TestNamingWithoutIntermediates(t *testing.T) {
	normalized := func(s string) string { // getNormalizedResourceName, step by step
		out := ""
		for _, r := range s {
			switch r {
			case '-':
				out += "Dash"
			case '_':
				out += "Underscore"
			default:
				out += string(r)
			}
		}
		return upperFirst(out)
	}
	alnum := func(s string) string {
		out := ""
		for _, r := range s {
			if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				out += string(r)
			}
		}
		return upperFirst(out)
	}
	names := []string{"", "a", "A", "-", "_", "a-b_c", "-a", "_a", "a-", "éa-b", "ßx_y", "a\u0345-b", "a\u0301",
		"9lives", "ﬀ-x", "x.y:z", "🇫🇷-a", "-é", "a_é", "a--b__c9-x.y", "..a..b..", "z", "--"}
	for _, fn := range names {
		if got, want := NormalizedResourceName(fn), normalized(fn); got != want {
			t.Errorf("NormalizedResourceName(%q) = %q, want %q", fn, got, want)
		}
		if got, want := ConsumerLogicalID(fn), normalized(fn)+"StreamConsumer"; got != want {
			t.Errorf("ConsumerLogicalID(%q) = %q, want %q", fn, got, want)
		}
		for _, typ := range []string{"kinesis", "dynamodb", "", "ßtream", "Kinesis"} {
			for _, stream := range names {
				want := normalized(fn) + "EventSourceMapping" + upperFirst(typ) + alnum(stream)
				if got := StreamLogicalID(fn, typ, stream); got != want {
					t.Errorf("StreamLogicalID(%q, %q, %q) = %q, want %q", fn, typ, stream, got, want)
				}
			}
		}
	}
}

func TestNewConsumer(t *testing.T) {
	for _, mode := range []bool{false, true} {
		for _, fn := range []string{"f", "my-fn_x", "é-a", ""} {
			for _, stream := range []string{"s", "a-b", "é"} {
				c := newConsumer(fn, stream, "svc-x", "dev", mode)
				name := ConsumerName(fn, stream, "svc-x", "dev", mode)
				if c.Name != name || c.LogicalID != ConsumerLogicalID(name) {
					t.Errorf("newConsumer(%q, %q, %v) = %q, %q; want %q, %q", fn, stream, mode, c.Name, c.LogicalID, name, ConsumerLogicalID(name))
				}
			}
		}
	}
}
