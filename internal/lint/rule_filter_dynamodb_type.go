package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterDynamodbType = diag.Rule{
	ID:          "filter-dynamodb-type",
	Severity:    diag.Warning,
	Summary:     "an untyped DynamoDB attribute filter",
	Description: "A DynamoDB attribute filter lacks the type key (S, N, BOOL...) that stream images carry, so it never matches and the records are discarded.",
}

func checkFilterDynamodbType(p *pass) {
	for _, e := range p.events {
		if e.typ != "dynamodb" {
			continue
		}
		for _, pat := range e.patterns() {
			for _, img := range []string{"Keys", "NewImage", "OldImage"} {
				if attrs := pat.Path("dynamodb", img); attrs.IsMap() {
					p.typedAttrs(img, attrs)
				}
			}
		}
	}
}

func (p *pass) typedAttrs(img string, attrs *node.Node) {
	for _, a := range attrs.Pairs {
		if a.Value.IsMap() && allTypeKeys(a.Value) {
			continue
		}
		p.report(&ruleFilterDynamodbType, a.Key, "attribute filter %s.%s has no DynamoDB type key; stream images hold typed values, so write %s: {S: [...]} (or N, BOOL...)", img, a.Key.Str, a.Key.Str)
	}
}

func allTypeKeys(m *node.Node) bool {
	for _, pr := range m.Pairs {
		if !contains(dynamodbTypes, pr.Key.Str) {
			return false
		}
	}
	return len(m.Pairs) > 0
}
