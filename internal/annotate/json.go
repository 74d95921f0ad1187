package annotate

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// jsonFinding is the JSON shape of one finding. Field order fixes key order.
type jsonFinding struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
}

// WriteJSON writes findings as a JSON array of objects with the keys file,
// line, column, endLine, endColumn (1-based, code points; the end is
// exclusive and equals the start for a point), severity ("error", "warning"
// or "notice"), rule and message. No findings give "[]". The output is
// indented by two spaces and does not HTML-escape <, > and &.
func WriteJSON(w io.Writer, fs diag.Findings) error {
	out := make([]jsonFinding, 0, len(fs))
	for _, f := range fs.Sorted() {
		end := endPos(f.Range)
		out = append(out, jsonFinding{
			File:      f.Range.File,
			Line:      f.Range.Start.Line,
			Column:    f.Range.Start.Col,
			EndLine:   end.Line,
			EndColumn: end.Col,
			Severity:  severityOf(f).String(),
			Rule:      f.Rule,
			Message:   f.Message,
		})
	}
	return encodeJSON(w, out)
}

// encodeJSON writes v with two-space indentation and without HTML escaping,
// which would turn "<" in user values into "\u003c". JSON is for machines,
// but it is often printed in a runner's log: "##[" in a value is written
// "#\u0023[" (textsafe.JSON), which decodes to the same string.
func encodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(textsafe.JSON(buf.Bytes()))
	return err
}
