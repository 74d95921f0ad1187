// Package diag defines source positions and findings shared by every stage:
// the loader, the variable resolver, the linter and the compiler all report
// through it, and every output format (text, JSON, SARIF, GitHub) reads it.
// Rule is how each of them describes its rules to the registry
// (internal/rules).
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based. Col counts
// Unicode code points, which is what yaml.v3 reports, not bytes.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"column"`
}

// IsZero reports whether p is unset.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Range is the span [Start, End) in File. A zero End means a point.
type Range struct {
	File  string
	Start Pos
	End   Pos
}

// IsZero reports whether r carries no position at all.
func (r Range) IsZero() bool { return r.File == "" && r.Start.IsZero() }

// EndOrStart returns End, or Start when End is unset: a point is a range of
// length zero.
func (r Range) EndOrStart() Pos {
	if r.End.IsZero() {
		return r.Start
	}
	return r.End
}

// Severity orders findings: Error is the most severe.
type Severity uint8

const (
	// Error blocks compilation in strict mode and fails a lint by default.
	Error Severity = iota + 1
	// Warning is a problem that a deploy survives but that is probably wrong.
	Warning
	// Notice is information worth a reviewer's look.
	Notice
)

// String returns the lower-case name used by every output format.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Notice:
		return "notice"
	}
	return fmt.Sprintf("severity(%d)", s)
}

// Badge is the severity for Markdown (summary, pull-request comment, plan):
// an emoji and the word, e.g. "❌ error".
func (s Severity) Badge() string {
	switch s {
	case Warning:
		return "⚠️ warning"
	case Notice:
		return "ℹ️ notice"
	}
	return "❌ error"
}

// Plural is "1 error" or "N errors".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Totals is "2 errors, 1 warning, 0 notices".
func Totals(errors, warnings, notices int) string {
	return Plural(errors, "error", "errors") + ", " + Plural(warnings, "warning", "warnings") + ", " + Plural(notices, "notice", "notices")
}

// ParseSeverity parses "error", "warning" or "notice".
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "notice":
		return Notice, true
	}
	return 0, false
}

// Finding is one problem in user configuration.
type Finding struct {
	Rule     string // stable kebab-case ID, e.g. "stream-batch-size"
	Severity Severity
	Message  string // user values quoted; no trailing period
	Range    Range
}

// String returns the canonical one-line form "file:line:col: message [rule]".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.Range.File, f.Range.Start.Line, f.Range.Start.Col, f.Message, f.Rule)
}

// Findings is a list of findings.
type Findings []Finding

// HasErrors reports whether any finding has Error severity.
func (fs Findings) HasErrors() bool { return fs.AtLeast(Error) }

// AtLeast reports whether any finding is at least as severe as s.
func (fs Findings) AtLeast(s Severity) bool {
	for _, f := range fs {
		if f.Severity != 0 && f.Severity <= s {
			return true
		}
	}
	return false
}

// HasRule reports whether any finding has the given rule.
func (fs Findings) HasRule(rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// Count returns how many findings have severity s.
func (fs Findings) Count(s Severity) int {
	n := 0
	for _, f := range fs {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Compare orders findings by file, line, column, rule and message.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Range.File, b.Range.File),
		cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
		cmp.Compare(a.Range.Start.Col, b.Range.Start.Col),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sorted returns a sorted copy of fs with exact duplicates removed.
func (fs Findings) Sorted() Findings {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, Compare)
	return slices.CompactFunc(out, func(a, b Finding) bool { return a == b })
}

// Rule is the metadata of one rule: every package that reports findings
// describes its rules with it, and the registry (internal/rules) lists them
// all for RULES.md, the README and SARIF.
type Rule struct {
	ID       string   // stable kebab-case ID, the Finding.Rule of its findings
	Severity Severity // the usual severity; a producer may report some findings lower
	// Summary is a phrase for the README's rule table.
	Summary string
	// Description is one or two sentences: the RULES.md table and section,
	// the SARIF descriptions.
	Description string
	// Help is optional Markdown that follows the description in RULES.md and
	// SARIF: what to do about it.
	Help string
	// Serverless marks what Serverless v3 itself reports when it packages
	// (its schema validation and its deprecations): compile reports these in
	// serverless mode too, and stops on their errors in strict mode.
	Serverless bool
	// Fatal marks a file that cannot be used at all: compile stops at it,
	// before linting or compiling anything.
	Fatal bool

	// Producer and Stages are filled in by the registry, which knows the
	// wiring; producers leave them zero.
	Producer string // the package that reports it, e.g. "vars"
	Stages   Stage  // where its findings can appear
}

// Stage is a set of places a rule's findings can appear.
type Stage uint8

// The places findings appear.
const (
	InLint    Stage = 1 << iota // stream-events lint
	InCompile                   // stream-events compile
	InAction                    // the GitHub Action
	InPlan                      // stream-events plan

	Everywhere = InLint | InCompile | InAction | InPlan
)

// String lists the places, e.g. "lint, compile, Action".
func (s Stage) String() string {
	var out []string
	for _, p := range []struct {
		s    Stage
		name string
	}{{InLint, "lint"}, {InCompile, "compile"}, {InAction, "Action"}, {InPlan, "plan"}} {
		if s&p.s != 0 {
			out = append(out, p.name)
		}
	}
	return strings.Join(out, ", ")
}
