package yamlsrc

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

// Plain (unquoted, untagged) scalars are resolved as js-yaml 4, which
// Serverless v3 uses, resolves them, not as yaml.v3 does: leading zeros are
// decimal (an account ID 000000000017 is 17, not octal 15), underscores make
// a string, and YAML timestamps become dates. Checked against js-yaml 4.3.

var (
	jsInt       = lazyre.New(`^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$`)
	jsFloat     = lazyre.New(`^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$`)
	jsInf       = lazyre.New(`^[-+]?\.(?:inf|Inf|INF)$`)
	jsNaN       = lazyre.New(`^\.(?:nan|NaN|NAN)$`)
	jsDate      = lazyre.New(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)
	jsTimestamp = lazyre.New(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?$`)
)

// resolvePlain resolves a plain scalar's text to its JSON value.
func resolvePlain(s string, r diag.Range) node.Node {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return node.Node{Kind: node.Null, Range: r}
	case "true", "True", "TRUE":
		return node.Node{Kind: node.Bool, Bool: true, Range: r}
	case "false", "False", "FALSE":
		return node.Node{Kind: node.Bool, Range: r}
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return node.Node{Kind: node.String, Str: s, Range: r}
	}
	if digits(s) {
		// The common number, a decimal integer: what jsInteger returns,
		// without its regular expression.
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return node.Node{Kind: node.Number, Num: f, Range: r}
		}
	}
	if f, ok := jsInteger(s); ok {
		return node.Node{Kind: node.Number, Num: f, Range: r}
	}
	if f, ok := jsFloatValue(s); ok {
		return node.Node{Kind: node.Number, Num: f, Range: r}
	}
	if t, ok := parseTimestamp(s); ok {
		// A JavaScript Date, which JSON serialises as ISO 8601 UTC.
		return node.Node{Kind: node.String, Str: t.UTC().Format("2006-01-02T15:04:05.000Z"), Range: r}
	}
	return node.Node{Kind: node.String, Str: s, Range: r}
}

// plainString reports a plain scalar that resolvePlain leaves a string
// of its text, told by its first byte: what it resolves otherwise (null,
// booleans, numbers, .inf, .nan and timestamps) starts with one of
// "~nNtTfF+-.0123456789". Most keys and values are such strings, and the
// test spares them resolvePlain and its copy of a node.
func plainString(s string) bool {
	return s != "" && !typedStart[s[0]]
}

var typedStart = func() (t [256]bool) {
	for _, c := range []byte("~nNtTfF+-.0123456789") {
		t[c] = true
	}
	return t
}()

// digits reports a string of decimal digits only (and at least one).
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// jsInteger is js-yaml's !!int: an integer that is finite as a
// JavaScript number (a 400-digit one is not, and falls through to !!float,
// which refuses it too: it stays a string).
func jsInteger(s string) (float64, bool) {
	if !jsInt.MatchString(s) {
		return 0, false
	}
	f := parseInt(s)
	return f, !math.IsInf(f, 0)
}

// jsFloatValue is js-yaml's !!float: a finite number (1e99999 is not: a
// string when plain, an error when tagged; js-yaml 4.1 made it Infinity,
// 4.2 and later do not), or .inf or .nan.
func jsFloatValue(s string) (float64, bool) {
	switch {
	case jsFloat.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && !math.IsInf(f, 0)
	case jsInf.MatchString(s):
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case jsNaN.MatchString(s):
		return math.NaN(), true
	}
	return 0, false
}

func parseInt(s string) float64 {
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	base := 10
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'b':
			base, s = 2, s[2:]
		case 'o':
			base, s = 8, s[2:]
		case 'x':
			base, s = 16, s[2:]
		}
	}
	var f float64
	if base == 10 {
		f, _ = strconv.ParseFloat(s, 64) // digits only: cannot fail
	} else {
		v, _ := new(big.Int).SetString(s, base)
		f, _ = new(big.Float).SetInt(v).Float64()
	}
	if neg {
		return -f
	}
	return f
}

func parseTimestamp(s string) (time.Time, bool) {
	if m := jsDate.FindStringSubmatch(s); m != nil {
		return time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), 0, 0, 0, 0, time.UTC), true
	}
	m := jsTimestamp.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	frac := (m[7] + "000")[:3]
	t := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6]),
		atoi(frac)*int(time.Millisecond), time.UTC)
	if m[9] != "" {
		offset := time.Duration(atoi(m[10]))*time.Hour + time.Duration(atoi(m[11]))*time.Minute
		if m[9] == "-" {
			offset = -offset
		}
		t = t.Add(-offset)
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
