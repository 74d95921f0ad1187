package annotate

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// DefaultSummaryBytes keeps a summary under GitHub's 1 MiB per-step limit
// with room to spare; a larger step summary is not uploaded at all
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits).
const DefaultSummaryBytes = 1_000_000

// Summary is the content of a job summary: one section per service.
type Summary struct {
	Title    string // top heading; empty means "stream-events"
	Repo     RepoInfo
	Services []ServiceSummary
	// FullReport says where every finding can be found when rows are left
	// out, e.g. "The SARIF file results.sarif and the artifact stream-events";
	// empty means "The SARIF file and the workflow artifact".
	FullReport string
	// MaxBytes is the size WriteSummary must stay within; zero or negative
	// means DefaultSummaryBytes. Callers appending to a step summary that
	// already has content should pass what is left of the limit.
	MaxBytes int
}

// ServiceSummary is one serverless.yml and what happened to it.
type ServiceSummary struct {
	Name       string // the Serverless service name
	ConfigPath string // repository-relative path of its serverless.yml
	Findings   diag.Findings
	Resources  []Resource // compiled resources; nil leaves the section out
	Deploy     string     // trusted Markdown from the caller; empty leaves it out
}

// Resource is one row of the compiled-resources table.
type Resource struct {
	LogicalID, Type, Stream, Function string
}

// WriteSummary writes s as GitHub-flavoured Markdown for GITHUB_STEP_SUMMARY.
// Every user-supplied value is escaped for table cells, and each finding
// location links to its lines at the analysed commit. If the document would
// exceed the byte budget, whole rows are left out (resources before
// findings, lower severities before errors) and a note says how many and
// where the full list is; the output never ends inside a row or a UTF-8
// sequence.
func WriteSummary(w io.Writer, s Summary) error {
	d := buildSummary(s)
	_, err := io.WriteString(w, d.render(cmp.Or(max(s.MaxBytes, 0), DefaultSummaryBytes)))
	return err
}

func buildSummary(s Summary) *doc {
	full := cmp.Or(s.FullReport, "The SARIF file and the workflow artifact")
	d := &doc{cutNote: "\n> **Note:** this summary was cut short to stay under GitHub's 1 MiB step summary limit. " + textsafe.Markdown(full) + " has everything.\n"}
	d.fixed("## " + textsafe.Markdown(cmp.Or(s.Title, "stream-events")) + "\n\n")
	var all diag.Findings
	for _, svc := range s.Services {
		all = append(all, svc.Findings...)
	}
	d.fixed(fmt.Sprintf("%s in %s.\n\n", countLine(all), plural(len(s.Services), "service", "services")))
	for _, svc := range s.Services {
		writeService(d, svc, s.Repo, full)
	}
	return d
}

func writeService(d *doc, svc ServiceSummary, repo RepoInfo, full string) {
	d.fixed("### " + textsafe.Markdown(cmp.Or(svc.Name, svc.ConfigPath, "service")) + "\n\n")
	if svc.ConfigPath != "" {
		d.fixed("Configuration: " + locationLink(repo, svc.ConfigPath, svc.ConfigPath, 0, 0) + "\n\n")
	}
	d.fixed(countLine(svc.Findings) + "\n\n")
	writeFindingsTable(d, svc.Findings, repo, full)
	if svc.Resources != nil {
		writeResourcesTable(d, svc.Resources, full)
	}
	if svc.Deploy != "" {
		d.fixed("#### Deploy\n\n")
		g := d.group(2, func(int, int) string {
			return "> **Note:** the deploy report was left out to stay under GitHub's 1 MiB step summary limit.\n\n"
		})
		d.row(g, strings.TrimRight(svc.Deploy, "\n")+"\n\n")
		d.note(g)
	}
}

func writeFindingsTable(d *doc, fs diag.Findings, repo RepoInfo, full string) {
	if len(fs) == 0 {
		d.fixed("No findings.\n\n")
		return
	}
	g := d.group(1, omittedNote("findings", full))
	d.header(g, tableRow("Severity", "Location", "Rule", "Message")+tableRow("---", "---", "---", "---"))
	for _, f := range bySeverity(fs) {
		d.row(g, findingRow(f, repo))
	}
	d.header(g, "\n")
	d.note(g)
}

func findingRow(f diag.Finding, repo RepoInfo) string {
	r := f.Range
	text := fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Col)
	loc := locationLink(repo, text, r.File, r.Start.Line, endPos(r).Line)
	return tableRow(severityLabel(severityOf(f)), loc, textsafe.Markdown(f.Rule), textsafe.Markdown(f.Message))
}

func writeResourcesTable(d *doc, rs []Resource, full string) {
	d.fixed("#### Compiled resources\n\n")
	if len(rs) == 0 {
		d.fixed("No resources.\n\n")
		return
	}
	g := d.group(3, omittedNote("compiled resources", full))
	d.header(g, tableRow("Logical ID", "Type", "Stream", "Function")+tableRow("---", "---", "---", "---"))
	for _, r := range rs {
		d.row(g, tableRow(textsafe.Markdown(r.LogicalID), textsafe.Markdown(r.Type), textsafe.Markdown(r.Stream), textsafe.Markdown(r.Function)))
	}
	d.header(g, "\n")
	d.note(g)
}

// locationLink returns text as a link to file's lines, or escaped plain text
// when no link can be built.
func locationLink(repo RepoInfo, text, file string, line, endLine int) string {
	u := repo.blobURL(file, line, endLine)
	if u == "" {
		return textsafe.Markdown(text)
	}
	return "[" + textsafe.Markdown(text) + "](" + u + ")"
}

func omittedNote(noun, full string) func(omitted, total int) string {
	return func(omitted, total int) string {
		return fmt.Sprintf("> **Note:** %d of %d %s are not listed here, to stay under GitHub's 1 MiB step summary limit. %s lists all of them.\n\n",
			omitted, total, noun, textsafe.Markdown(full))
	}
}

func severityLabel(s diag.Severity) string {
	switch s {
	case diag.Warning:
		return "⚠️ warning"
	case diag.Notice:
		return "ℹ️ notice"
	}
	return "❌ error"
}

// countLine is e.g. "**2 errors**, 1 warning, 0 notices"; errors are bold
// because they are what fails the run.
func countLine(fs diag.Findings) string {
	errs := len(fs) - fs.Count(diag.Warning) - fs.Count(diag.Notice)
	return "**" + plural(errs, "error", "errors") + "**, " +
		plural(fs.Count(diag.Warning), "warning", "warnings") + ", " +
		plural(fs.Count(diag.Notice), "notice", "notices")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
