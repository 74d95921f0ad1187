package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterOperator = diag.Rule{
	ID:          "filter-operator",
	Severity:    diag.Warning,
	Summary:     "an operator Lambda does not support",
	Description: "A filter pattern uses an operator Lambda event filtering does not support (EventBridge-only forms such as wildcard, cidr or $or), so the mapping is rejected or the filter does not match as intended.",
}

func checkFilterOperator(p *pass) {
	for _, e := range p.events {
		for _, pat := range e.patterns() {
			p.topOperators(pat)
			walkRules(pat, func(key, list *node.Node) {
				if list.IsSeq() && !strings.HasPrefix(key.Str, "$") {
					p.listOperators(list)
				}
			})
		}
	}
}

// topOperators reports "$or"-style keys anywhere in the pattern's objects.
func (p *pass) topOperators(n *node.Node) {
	for _, pr := range n.Pairs {
		if strings.HasPrefix(pr.Key.Str, "$") {
			p.report(&ruleFilterOperator, pr.Key, "filter operator %q is EventBridge syntax that Lambda event filtering does not support; use several filterPatterns instead (a record matching any pattern is kept)", pr.Key.Str)
		}
		if pr.Value.IsMap() {
			p.topOperators(pr.Value)
		}
	}
}

func (p *pass) listOperators(list *node.Node) {
	for _, r := range list.Items {
		if !r.IsMap() {
			continue
		}
		for _, pr := range r.Pairs {
			op := pr.Key.Str
			if !contains(operators, op) {
				p.report(&ruleFilterOperator, pr.Key, "filter operator %q is not supported by Lambda event filtering%s; use %s", op, didYouMean(op, operators), quoteList(operators, "or"))
				continue
			}
			if op == "anything-but" && pr.Value.IsMap() {
				p.report(&ruleFilterOperator, pr.Value, "anything-but with a nested operator is EventBridge syntax Lambda does not support; list plain values: {anything-but: [...]}")
			}
		}
	}
}
