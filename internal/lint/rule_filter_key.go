package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterKey = diag.Rule{
	ID:          "filter-key",
	Severity:    diag.Warning,
	Summary:     "a key that never matches the stream type (`data` vs `dynamodb`)",
	Description: "A filter pattern names a field the stream's records never have (data on DynamoDB, dynamodb on Kinesis, body, a wrapping kinesis object...), so the pattern never matches and Lambda silently discards the records it was meant to keep.",
}

func checkFilterKey(p *pass) {
	for _, e := range p.events {
		keys := keysFor(e.typ)
		if keys == nil {
			continue
		}
		for _, pat := range e.patterns() {
			p.filterKeys(e, pat, keys)
		}
	}
}

func (p *pass) filterKeys(e *event, pat *node.Node, keys []string) {
	for _, pr := range pat.Pairs {
		k := pr.Key.Str
		switch {
		case strings.HasPrefix(k, "$"):
			// $or and friends: rule filter-operator.
		case !contains(keys, k):
			p.report(&ruleFilterKey, pr.Key, "filter key %q is not a field of %s records%s; this pattern never matches, so Lambda discards the records (filter the payload under %q)", k, typeName(e.typ), didYouMean(k, keys), dataKey(e.typ))
		case k == "dynamodb" && pr.Value.IsMap():
			for _, c := range pr.Value.Pairs {
				if !contains(dynamodbChangeKeys, c.Key.Str) {
					p.report(&ruleFilterKey, c.Key, "filter key %q is not a field of a DynamoDB record's dynamodb object%s; use Keys, NewImage or OldImage", c.Key.Str, didYouMean(c.Key.Str, dynamodbChangeKeys))
				}
			}
		}
	}
}

func typeName(typ string) string {
	if typ == "kinesis" {
		return "Kinesis"
	}
	return "DynamoDB"
}
