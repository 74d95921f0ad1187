package lint

import (
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
)

var ruleFilterPatternSize = diag.Rule{
	ID:          "filter-pattern-size",
	Severity:    diag.Error,
	Summary:     "a pattern over 4096 characters",
	Description: "A filter pattern is longer than 4096 characters once Serverless JSON-encodes it, which Lambda rejects.",
}

func checkFilterPatternSize(p *pass) {
	for _, e := range p.events {
		for _, pat := range e.patterns() {
			// The Pattern is JSON.stringify(pattern), which Stringify reproduces.
			if n := utf8.RuneCountInString(pat.Stringify()); n > 4096 {
				p.report(&ruleFilterPatternSize, pat, "filter pattern is %d characters as JSON; Lambda allows at most 4096: split it into several patterns", n)
			}
		}
	}
}
