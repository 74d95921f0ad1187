package vars

import (
	"math"

	"github.com/stream-events/stream-events/internal/node"
)

// unsupportedResult is resolve.js's check of a source's result: a scalar
// that does not survive JSON.parse(JSON.stringify(value)) unchanged (NaN,
// ±Infinity from a YAML `.inf`) stops Serverless. Inside an object or a
// list such a number is kept as it is.
func unsupportedResult(source string, v *node.Node) *verr {
	if v == nil || v.Kind != node.Number || !(math.IsNaN(v.Num) || math.IsInf(v.Num, 0)) {
		return nil
	}
	return errorf(RuleUnresolved, "Source %q returned not supported result: %q", source, node.FormatNumber(v.Num))
}
