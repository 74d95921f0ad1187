package deploy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/stream-events/stream-events/internal/textsafe"
)

var changeHeader = []string{"ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT", "SCOPE", "DETAILS"}

// changeRow is the cells of one change, with "-" for empty cells so
// columns stay readable.
func changeRow(c Change) []string {
	return []string{dash(c.Action), dash(c.LogicalID), dash(c.Type), dash(c.Replacement),
		dash(strings.Join(c.Scope, ",")), dash(c.Details)}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteChangesTable writes changes as an aligned plain-text table for the
// log, or "No changes." when there are none.
func WriteChangesTable(w io.Writer, changes []Change) error {
	if len(changes) == 0 {
		_, err := io.WriteString(w, "No changes.\n")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(changeHeader, "\t"))
	for _, c := range changes {
		cells := changeRow(c)
		for i := range cells {
			cells[i] = oneLine(cells[i])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// ChangesMarkdown renders changes as a GitHub-flavoured Markdown table for
// the job summary. Replacements are bold because they are what reviewers
// must not miss.
func ChangesMarkdown(changes []Change) string {
	if len(changes) == 0 {
		return "_No changes._\n"
	}
	var b strings.Builder
	b.WriteString("| Action | Logical ID | Type | Replacement | Scope | Details |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, c := range changes {
		cells := changeRow(c)
		for i := range cells {
			switch {
			case (i == 1 || i == 2) && cells[i] != "-": // logical ID and type as code
				cells[i] = "`" + textsafe.MarkdownCode(cells[i]) + "`"
			default:
				cells[i] = textsafe.Markdown(cells[i])
			}
		}
		if c.Replacement == "True" || c.Replacement == "Conditional" {
			cells[3] = "**" + cells[3] + "**"
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}
