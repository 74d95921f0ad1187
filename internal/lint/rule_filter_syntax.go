package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterSyntax = diag.Rule{
	ID:          "filter-syntax",
	Severity:    diag.Error,
	Summary:     "a malformed pattern",
	Description: "A filter pattern is malformed: a field maps to a value instead of a list of rules, or an operator has the wrong operand (numeric, exists, prefix...), which Lambda rejects when it creates the mapping.",
}

func checkFilterSyntax(p *pass) {
	for _, e := range p.events {
		for _, pat := range e.patterns() {
			walkRules(pat, func(key, list *node.Node) {
				p.ruleList(key, list)
			})
		}
	}
}

func (p *pass) ruleList(key, list *node.Node) {
	if strings.HasPrefix(key.Str, "$") {
		return // rule filter-operator
	}
	if !list.IsSeq() {
		p.report(&ruleFilterSyntax, list, "filter field %q must map to a list of rules, such as [%s], found %s", key.Str, shortJSON(list), describe(list))
		return
	}
	for _, r := range list.Items {
		if r.IsMap() && len(r.Pairs) == 1 {
			p.operand(r.Pairs[0].Key.Str, r.Pairs[0].Value)
		}
	}
}

// operand checks the operand of a supported operator.
func (p *pass) operand(op string, v *node.Node) {
	bad := ""
	switch op {
	case "exists":
		if v.Kind != node.Bool {
			bad = "exists takes true or false"
		}
	case "prefix", "suffix", "equals-ignore-case":
		if !v.IsString() && !v.IsMap() {
			bad = op + " takes a string"
		}
	case "numeric":
		bad = numericProblem(v)
	}
	if bad != "" {
		found := describe(v)
		if v.IsSeq() || v.IsMap() {
			found = shortJSON(v)
		}
		p.report(&ruleFilterSyntax, v, "%s, found %s", bad, found)
	}
}

// numericProblem checks [op, n] or [op, n, op, n].
func numericProblem(v *node.Node) string {
	const want = "numeric takes [\"<op>\", number] or [\">\", low, \"<\", high] with op one of =, <, <=, >, >="
	if !v.IsSeq() || (len(v.Items) != 2 && len(v.Items) != 4) {
		return want
	}
	for i := 0; i < len(v.Items); i += 2 {
		op, ok := str(v.Items[i])
		if !ok || !contains([]string{"=", "<", "<=", ">", ">="}, op) || v.Items[i+1].Kind != node.Number {
			return want
		}
	}
	return ""
}
