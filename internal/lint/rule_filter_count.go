package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleFilterCount = diag.Rule{
	ID:          "filter-count",
	Severity:    diag.Error,
	Summary:     "more than 5 filter patterns",
	Description: "More than 5 filterPatterns: Serverless allows 10, but Lambda's default quota is 5 filters per event source mapping and it rejects more unless the quota was raised.",
}

func checkFilterCount(p *pass) {
	for _, e := range p.events {
		f := e.pair("filterPatterns")
		if f == nil || !f.Value.IsSeq() || opaque(f.Value) {
			continue
		}
		// Above 10 the schema-range finding already says it.
		if n := len(f.Value.Items); n > 5 && n <= 10 {
			p.report(&ruleFilterCount, f.Key, "%d filterPatterns exceed Lambda's default quota of 5 per event source mapping (10 after a quota increase); merge patterns or request the increase", n)
		}
	}
}
