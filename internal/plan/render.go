package plan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// WriteJSON writes p as an indented JSON array ([] when nothing changes).
func WriteJSON(w io.Writer, p Plan) error {
	if p == nil {
		p = Plan{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// Summary is e.g. "1 to add, 0 to modify, 1 to replace, 0 to remove".
func (p Plan) Summary() string {
	n := map[string]int{}
	for _, e := range p {
		n[e.Action]++
	}
	return fmt.Sprintf("%d to add, %d to modify, %d to replace, %d to remove", n[Add], n[Modify], n[Replace], n[Remove])
}

var symbols = map[string]string{Add: "+", Modify: "~", Replace: "-/+", Remove: "-"}

// WriteText writes p for people on a terminal.
func WriteText(w io.Writer, p Plan) error {
	b := bufio.NewWriter(w)
	if len(p) == 0 {
		b.WriteString("No changes to the stream resources.\n")
		return b.Flush()
	}
	for _, e := range p {
		fmt.Fprintf(b, "%s %s %s (%s)\n", symbols[e.Action], e.Action, e.LogicalID, e.Type)
		for _, c := range e.Changes {
			fmt.Fprintf(b, "    %s: %s -> %s", c.Property, value(c.Before), value(c.After))
			if c.Replacement {
				b.WriteString(" (replacement)")
			}
			b.WriteByte('\n')
		}
		for _, h := range e.Hazards {
			fmt.Fprintf(b, "    %s: %s [%s]\n", h.Severity, oneLine(h.Message), h.Rule)
		}
	}
	fmt.Fprintf(b, "\nPlan: %s; %s.\n", p.Summary(), hazardCounts(p))
	return b.Flush()
}

// WriteMarkdown writes p as GitHub-flavoured Markdown for the job summary
// and the pull-request comment. Every value from a template is escaped.
func WriteMarkdown(w io.Writer, p Plan) error {
	_, err := io.WriteString(w, Markdown(p))
	return err
}

// Markdown returns p as GitHub-flavoured Markdown (see WriteMarkdown).
func Markdown(p Plan) string {
	var b strings.Builder
	if len(p) == 0 {
		b.WriteString("No changes to the stream resources.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "**Plan:** %s; %s.\n\n", p.Summary(), hazardCounts(p))
	for _, e := range p {
		b.WriteString(EntryMarkdown(e))
	}
	return b.String()
}

// EntryMarkdown returns one entry as a Markdown list item: the hazards
// first (what a reviewer must act on), then the changed properties.
func EntryMarkdown(e Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- **%s** %s (%s)\n", e.Action, textsafe.MarkdownLine(e.LogicalID), textsafe.MarkdownLine(e.Type))
	for _, h := range e.Hazards {
		sev, _ := diag.ParseSeverity(h.Severity)
		fmt.Fprintf(&b, "  - %s: %s (%s)\n", diag.Severity.Badge(sev), textsafe.MarkdownLine(oneLine(h.Message)), textsafe.MarkdownLine(h.Rule))
	}
	for _, c := range e.Changes {
		fmt.Fprintf(&b, "  - %s: %s → %s", textsafe.MarkdownLine(c.Property), textsafe.MarkdownLine(value(c.Before)), textsafe.MarkdownLine(value(c.After)))
		if c.Replacement {
			b.WriteString(" **(replacement)**")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func hazardCounts(p Plan) string {
	return diag.Totals(p.Count(diag.Error), p.Count(diag.Warning), p.Count(diag.Notice))
}

// value renders a property value as compact JSON; an absent one as "(none)".
func value(n *node.Node) string {
	if n == nil {
		return "(none)"
	}
	return n.Stringify()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
