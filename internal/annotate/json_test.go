package annotate

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		what string
		fs   diag.Findings
		want string
	}{{
		what: "empty is an empty array",
		want: "[]\n",
	}, {
		what: "point repeats its start as end; no HTML escaping",
		fs:   diag.Findings{{Rule: "r", Severity: diag.Notice, Message: `a <b> & "c"`, Range: diag.Range{File: "s.yml", Start: diag.Pos{Line: 2, Col: 3}}}},
		want: `[
  {
    "file": "s.yml",
    "line": 2,
    "column": 3,
    "endLine": 2,
    "endColumn": 3,
    "severity": "notice",
    "rule": "r",
    "message": "a <b> & \"c\""
  }
]
`,
	}}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, tt.fs); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestWriteJSON_severities(t *testing.T) {
	fs := diag.Findings{
		{Rule: "a", Severity: diag.Error, Range: diag.Range{File: "f", Start: diag.Pos{Line: 1, Col: 1}}},
		{Rule: "b", Severity: diag.Warning, Range: diag.Range{File: "f", Start: diag.Pos{Line: 2, Col: 1}}},
		{Rule: "c", Severity: 0, Range: diag.Range{File: "f", Start: diag.Pos{Line: 3, Col: 1}}},
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, fs); err != nil {
		t.Fatal(err)
	}
	var got []struct{ Severity string }
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []struct{ Severity string }{{"error"}, {"warning"}, {"error"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
