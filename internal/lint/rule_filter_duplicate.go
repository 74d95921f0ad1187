package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterDuplicate = diag.Rule{
	ID:          "filter-duplicate",
	Severity:    diag.Error,
	Summary:     "the same pattern twice (a YAML alias reused), which CloudFormation rejects",
	Description: "Two filterPatterns of one event are the same pattern (often a YAML alias used twice); CloudFormation requires the filters to be unique and rejects the mapping.",
}

func checkFilterDuplicate(p *pass) {
	for _, e := range p.events {
		f := e.get("filterPatterns")
		if f == nil || !f.IsSeq() || opaque(f) || len(f.Items) < 2 {
			continue // one pattern repeats none
		}
		seen := map[string]*node.Node{}
		for _, pat := range f.Items {
			if opaque(pat) {
				continue
			}
			k := pat.Stringify()
			if first, dup := seen[k]; dup {
				p.report(&ruleFilterDuplicate, pat, "this filter pattern repeats the one at line %d, and CloudFormation rejects duplicate filters; remove one", first.Range.Start.Line)
				continue
			}
			seen[k] = pat
		}
	}
}
