package lint

import (
	"math"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/suggest"
)

// Serverless validates with ajv and coerceTypes "array": a value that ajv
// can coerce to the schema's type is accepted silently (batchSize: "100",
// enabled: "false", [10]). The helpers below accept exactly those values.

// unwrap returns the only item of a one-item array, as ajv's "array"
// coercion does where a scalar is expected.
func unwrap(n *node.Node) *node.Node {
	if n.IsSeq() && len(n.Items) == 1 {
		return n.Items[0]
	}
	return n
}

// asNumber returns n as ajv coerces it to {type: number}.
func asNumber(n *node.Node) (float64, bool) {
	if n == nil {
		return 0, false
	}
	n = unwrap(n)
	switch n.Kind {
	case node.Number:
		return n.Num, !math.IsNaN(n.Num)
	case node.Bool:
		if n.Bool {
			return 1, true
		}
		return 0, true
	case node.Null:
		return 0, true
	case node.String:
		return compile.AjvNumber(n.Str)
	}
	return 0, false
}

// asInteger returns n as ajv coerces it to {type: integer}.
func asInteger(n *node.Node) (float64, bool) {
	f, ok := asNumber(n)
	return f, ok && f == math.Trunc(f) && !math.IsInf(f, 0)
}

// asBool returns n as ajv coerces it to {type: boolean}.
func asBool(n *node.Node) (bool, bool) {
	if n == nil {
		return false, false
	}
	n = unwrap(n)
	switch {
	case n.Kind == node.Bool:
		return n.Bool, true
	case n.Kind == node.Null, n.Kind == node.String && n.Str == "false", n.Kind == node.Number && n.Num == 0:
		return false, true
	case n.Kind == node.String && n.Str == "true", n.Kind == node.Number && n.Num == 1:
		return true, true
	}
	return false, false
}

// asString returns n as ajv coerces it to {type: string}.
func asString(n *node.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	n = unwrap(n)
	switch n.Kind {
	case node.String, node.Number, node.Bool:
		return n.JSString(), true
	case node.Null:
		return "", true
	}
	return "", false
}

// str returns n's string value when n is a known string.
func str(n *node.Node) (string, bool) {
	if n.IsString() && !opaque(n) {
		return n.Str, true
	}
	return "", false
}

// describe names a found value for a message.
func describe(n *node.Node) string {
	if n == nil {
		return "nothing"
	}
	if n.IsMap() {
		if k, ok := intrinsicKey(n); ok {
			return "intrinsic " + k
		}
	}
	return n.Describe()
}

// shortJSON renders n as JSON for a message, cut after 80 code points: a
// message must not echo a value of megabytes.
func shortJSON(n *node.Node) string {
	s := n.Stringify()
	if len(s) <= 80 {
		return s
	}
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// intrinsicKey returns the function of a single-key {"Ref"|"Fn::*": ...}.
func intrinsicKey(n *node.Node) (string, bool) {
	if !n.IsMap() || len(n.Pairs) != 1 {
		return "", false
	}
	k := n.Pairs[0].Key.Str
	return k, k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
}

// quoteList renders values as `"a", "b" or "c"`.
func quoteList(vs []string, conj string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// num formats a number as JavaScript does.
func num(f float64) string { return node.FormatNumber(f) }

// didYouMean returns " (did you mean X?)" or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest.Closest(s, candidates, 2); c != "" {
		return " (did you mean " + strconv.Quote(c) + "?)"
	}
	return ""
}
