package vars

import (
	"strings"
	"testing"
)

// TestIndexVar holds indexVar equal to strings.Index(s, "${").
func TestIndexVar(t *testing.T) {
	for _, s := range []string{
		"", "$", "{", "${", "a${b}", "$$", "$${", "$$${x}", "$ {", "{$", "arn:aws:x", "a$b$", "a$b${", "}${", "é$${",
	} {
		if got, want := indexVar(s), strings.Index(s, "${"); got != want {
			t.Errorf("indexVar(%q) = %d, want %d", s, got, want)
		}
		if got, want := hasVar(s), strings.Contains(s, "${"); got != want {
			t.Errorf("hasVar(%q) = %v, want %v", s, got, want)
		}
	}
}
