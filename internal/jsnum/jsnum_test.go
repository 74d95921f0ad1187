package jsnum

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	nan := math.NaN()
	negZero := math.Copysign(0, -1)
	for _, c := range []struct {
		in   string
		want float64 // NaN: Number(in) is NaN
	}{
		// Results checked against node's Number().
		{"", 0},
		{"   ", 0},
		{"\t\n\v\f\r \u00a0\u2028\u2029\ufeff\u3000", 0},
		{"100", 100},
		{" 7 ", 7},
		{"\ufeff7\u2003", 7},
		{"\u00857", nan}, // NEL is not JavaScript white space
		{"-1", -1},
		{"+1", 1},
		{"2.50", 2.5},
		{".5", 0.5},
		{"5.", 5},
		{"+.5", 0.5},
		{"-.5e1", -5},
		{".", nan},
		{"1e3", 1000},
		{"1E+3", 1000},
		{"1e-3", 0.001},
		{"1e", nan},
		{"e1", nan},
		{"1e99999", math.Inf(1)},
		{"-1e99999", math.Inf(-1)},
		{"1e-99999", 0},
		{"-0", negZero},
		{"007", 7},
		{"123456789012345678901234567890", 1.2345678901234568e29},
		{"Infinity", math.Inf(1)},
		{"+Infinity", math.Inf(1)},
		{"-Infinity", math.Inf(-1)},
		{"infinity", nan},
		{"Inf", nan},
		{"NaN", nan},
		{"0x10", 16},
		{"0X1f", 31},
		{"0o17", 15},
		{"0b101", 5},
		{" 0x10 ", 16},
		{"0xFFFFFFFFFFFFFFFFF", 2.9514790517935283e20},
		{"0x20000000000001", 9007199254740992}, // 2^53+1 rounds to even
		{"0x20000000000003", 9007199254740996},
		{"-0x10", nan}, // no sign on a radix literal
		{"+0x10", nan},
		{"0x", nan},
		{"0xg", nan},
		{"0b2", nan},
		{"0o8", nan},
		{"00x10", nan},
		{"0x1p3", nan}, // no hexadecimal floats
		{"1_000", nan}, // no numeric separators
		{"0x_10", nan},
		{"1,000", nan},
		{"ten", nan},
		{"12px", nan},
		{"٣", nan}, // only ASCII digits
		{"1 2", nan},
		{"\xff1", nan},
	} {
		got, ok := Number(c.in)
		switch {
		case math.IsNaN(c.want):
			if ok || !math.IsNaN(got) {
				t.Errorf("Number(%q) = %v, %v; want NaN", c.in, got, ok)
			}
		case !ok || got != c.want || math.Signbit(got) != math.Signbit(c.want):
			t.Errorf("Number(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
}
