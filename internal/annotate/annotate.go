// Package annotate encodes diag.Findings for people and machines: actionlint-
// style text with a source snippet, JSON, SARIF 2.1.0 for GitHub code
// scanning, GitHub workflow commands (annotations) and a Markdown job summary.
//
// Every function here is pure: it writes to an io.Writer and returns the
// first write error. Reading files, environment variables and deciding exit
// codes belong to the caller (internal/cli).
package annotate

import (
	"slices"

	"github.com/stream-events/stream-events/internal/diag"
)

// severityOf returns f's severity, treating an unset or unknown value as
// Error: an unclassified finding is a producer bug, and hiding it would be
// worse than over-reporting it.
func severityOf(f diag.Finding) diag.Severity {
	switch f.Severity {
	case diag.Error, diag.Warning, diag.Notice:
		return f.Severity
	}
	return diag.Error
}

// bySeverity returns the findings sorted and deduplicated (diag.Sorted), then
// stably regrouped so errors come first, then warnings, then notices. Within
// a severity the file/line/column order of diag.Compare is kept.
func bySeverity(fs diag.Findings) diag.Findings {
	out := fs.Sorted()
	slices.SortStableFunc(out, func(a, b diag.Finding) int {
		return int(severityOf(a)) - int(severityOf(b))
	})
	return out
}

// endPos returns the exclusive end of r, or its start for a point.
func endPos(r diag.Range) diag.Pos { return r.EndOrStart() }
