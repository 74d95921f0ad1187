package annotate

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// property is one key=value of a workflow command; order is kept.
type property struct{ key, value string }

// WriteGitHub writes one workflow command per finding:
// "::error file=F,line=L,col=C,endLine=L,endColumn=E,title=RULE::message",
// with ::warning and ::notice for the other severities, in severity order.
// It writes every finding; use Annotate in an Action, where GitHub keeps
// only the first ten of each severity per step.
//
// Columns are sent only for single-line spans, since the runner drops them
// otherwise (ActionCommandManager.cs, ValidateLinesAndColumns). File paths
// must be relative to the repository root (see Relativize) or absolute under
// GITHUB_WORKSPACE.
func WriteGitHub(w io.Writer, fs diag.Findings) error {
	ew := newErrWriter(w)
	for _, f := range bySeverity(fs) {
		ew.str(command(severityOf(f).String(), findingProperties(f), f.Message))
	}
	return ew.flush()
}

// command formats one workflow command line. The runner drops a property
// with an empty value, so those are left out here too.
func command(name string, props []property, message string) string {
	var b strings.Builder
	b.WriteString("::" + name)
	sep := " "
	for _, p := range props {
		if p.value == "" {
			continue
		}
		b.WriteString(sep + p.key + "=" + textsafe.CommandProperty(p.value))
		sep = ","
	}
	b.WriteString("::" + textsafe.CommandData(message) + "\n")
	return b.String()
}

// findingProperties returns file, line, col, endLine, endColumn and title
// for f, leaving out what the runner would discard.
func findingProperties(f diag.Finding) []property {
	r := f.Range
	props := []property{{"file", fileProperty(r.File)}}
	if r.Start.Line >= 1 {
		props = append(props, property{"line", strconv.Itoa(r.Start.Line)})
		end := endPos(r)
		switch {
		case end.Line > r.Start.Line:
			props = append(props, property{"endLine", strconv.Itoa(end.Line)})
		case r.Start.Col >= 1:
			props = append(props, property{"col", strconv.Itoa(r.Start.Col)})
			if end.Line == r.Start.Line && end.Col > r.Start.Col {
				props = append(props,
					property{"endLine", strconv.Itoa(end.Line)},
					property{"endColumn", strconv.Itoa(end.Col)})
			}
		}
	}
	return append(props, property{"title", titleProperty(f.Rule)})
}

// fileProperty guards the one thing escaping cannot: the runner splits
// "key=value" with String.Split('=', 2, RemoveEmptyEntries), which would
// eat a leading "=" of the value. "./" keeps the path equivalent.
func fileProperty(file string) string {
	if strings.HasPrefix(file, "=") {
		return "./" + file
	}
	return file
}

// titleProperty trims the title: the runner trims the whole property list,
// so trailing blanks of the last property would not survive anyway, and a
// leading "=" would be eaten like in fileProperty.
func titleProperty(t string) string {
	return strings.TrimLeft(strings.TrimSpace(t), "=")
}

// Limits caps annotations per severity. GitHub displays at most 10 error,
// 10 warning and 10 notice annotations per step and silently drops the rest
// (actions/toolkit docs/problem-matchers.md). The zero value means
// DefaultLimits; negative fields count as zero.
type Limits struct {
	Errors, Warnings, Notices int
	// Where says where the findings that are not annotated can be read,
	// for the closing notice; empty means the job summary and SARIF file.
	Where string
}

// DefaultLimits returns GitHub's per-step limits.
func DefaultLimits() Limits { return Limits{Errors: 10, Warnings: 10, Notices: 10} }

func (l Limits) of(s diag.Severity) int {
	switch s {
	case diag.Warning:
		return max(l.Warnings, 0)
	case diag.Notice:
		return max(l.Notices, 0)
	}
	return max(l.Errors, 0)
}

// Annotate writes workflow commands for the most important findings within
// limit: errors first, then warnings, then notices, each by file and line.
// If any finding is left out it then writes one notice saying how many and
// that the job summary and SARIF file list them all; that notice is counted
// against the notice limit, so one notice slot is reserved for it.
// emitted counts finding annotations (not the closing notice); omitted
// counts findings that got none.
func Annotate(w io.Writer, fs diag.Findings, limit Limits) (emitted, omitted int, err error) {
	if limit == (Limits{}) {
		limit = DefaultLimits()
	}
	sorted := bySeverity(fs)
	budget := annotationBudget(sorted, limit)
	ew := newErrWriter(w)
	for _, f := range sorted {
		s := severityOf(f)
		if budget[s] == 0 {
			continue
		}
		budget[s]--
		emitted++
		ew.str(command(s.String(), findingProperties(f), f.Message))
	}
	omitted = len(sorted) - emitted
	if omitted > 0 && limit.of(diag.Notice) > 0 {
		ew.str(command("notice", []property{{"title", "stream-events"}}, omittedMessage(omitted, limit)))
	}
	return emitted, omitted, ew.flush()
}

// annotationBudget returns how many annotations each severity may use,
// reserving a notice slot for the closing notice when anything overflows.
func annotationBudget(fs diag.Findings, limit Limits) map[diag.Severity]int {
	budget := map[diag.Severity]int{}
	overflow := false
	for _, s := range []diag.Severity{diag.Error, diag.Warning, diag.Notice} {
		n := fs.Count(s)
		if s == diag.Error {
			n = len(fs) - fs.Count(diag.Warning) - fs.Count(diag.Notice) // unknown severities count as errors
		}
		budget[s] = min(n, limit.of(s))
		overflow = overflow || n > limit.of(s)
	}
	if overflow && limit.of(diag.Notice) > 0 {
		budget[diag.Notice] = min(budget[diag.Notice], limit.of(diag.Notice)-1)
	}
	return budget
}

func omittedMessage(n int, l Limits) string {
	noun := "findings were"
	if n == 1 {
		noun = "finding was"
	}
	where := l.Where
	if where == "" {
		where = "the job summary and the SARIF file"
	}
	return fmt.Sprintf("%d more %s not annotated: GitHub shows at most %d errors, %d warnings and %d notices per step. "+
		"All findings are listed in %s.", n, noun, l.of(diag.Error), l.of(diag.Warning), l.of(diag.Notice), where)
}
