package annotate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

func TestWriteText(t *testing.T) {
	span := func(line, col, endLine, endCol int) diag.Range {
		return diag.Range{File: "f.yml", Start: diag.Pos{Line: line, Col: col}, End: diag.Pos{Line: endLine, Col: endCol}}
	}
	tests := []struct {
		what string
		src  string
		r    diag.Range
		want string
	}{{
		what: "ascii span",
		src:  "key: value\n",
		r:    span(1, 6, 1, 11),
		want: "f.yml:1:6: m [r]\n  |\n1 | key: value\n  |      ^~~~~\n",
	}, {
		what: "non-ASCII before the span counts code points, not bytes",
		src:  "näme: wért\n",
		r:    span(1, 7, 1, 11),
		want: "f.yml:1:7: m [r]\n  |\n1 | näme: wért\n  |       ^~~~\n",
	}, {
		what: "wide characters take two cells",
		src:  "名前: 値値 x\n",
		r:    span(1, 5, 1, 7),
		want: "f.yml:1:5: m [r]\n  |\n1 | 名前: 値値 x\n  |       ^~~~\n",
	}, {
		what: "tabs expand to the next tab stop in line and underline",
		src:  "a:\tb\tcc\n",
		r:    span(1, 6, 1, 8),
		want: "f.yml:1:6: m [r]\n  |\n1 | a:      b       cc\n  | " + strings.Repeat(" ", 16) + "^~\n",
	}, {
		what: "a tab inside the span is underlined by its width",
		src:  "x\ty\n",
		r:    span(1, 1, 1, 4),
		want: "f.yml:1:1: m [r]\n  |\n1 | x       y\n  | " + "^" + strings.Repeat("~", 8) + "\n",
	}, {
		what: "point gets a lone caret",
		src:  "key: value\n",
		r:    diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 3}},
		want: "f.yml:1:3: m [r]\n  |\n1 | key: value\n  |   ^\n",
	}, {
		what: "multi-line span underlines to the end of its first line",
		src:  "a:\n  b: c\n  d: e\n",
		r:    span(2, 3, 3, 7),
		want: "f.yml:2:3: m [r]\n  |\n2 |   b: c\n  |   ^~~~\n",
	}, {
		what: "column past the end of line",
		src:  "key:\n",
		r:    diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 6}},
		want: "f.yml:1:6: m [r]\n  |\n1 | key:\n  |      ^\n",
	}, {
		what: "CRLF line ending and control characters",
		src:  "k: \x1b[31mv\r\n",
		r:    span(1, 4, 1, 5),
		want: "f.yml:1:4: m [r]\n  |\n1 | k: \uFFFD[31mv\n  |    ^\n",
	}, {
		what: "two-digit line numbers widen the gutter",
		src:  strings.Repeat("\n", 11) + "x: y\n",
		r:    span(12, 4, 12, 5),
		want: "f.yml:12:4: m [r]\n   |\n12 | x: y\n   |    ^\n",
	}, {
		what: "line beyond the file prints only the header",
		src:  "x: y\n",
		r:    span(7, 1, 7, 2),
		want: "f.yml:7:1: m [r]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			fs := diag.Findings{{Rule: "r", Severity: diag.Error, Message: "m", Range: tt.r}}
			if err := WriteText(&b, fs, map[string][]byte{"f.yml": []byte(tt.src)}, false); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestWriteText_headerMatchesFindingString(t *testing.T) {
	src, fs := fixture(t)
	var b bytes.Buffer
	if err := WriteText(&b, fs[:1], src, false); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(b.String(), "\n")
	if first != fs[0].String() {
		t.Errorf("header = %q, want diag.Finding.String() %q", first, fs[0].String())
	}
}

func TestWriteText_noSourceAndNoColor(t *testing.T) {
	fs := diag.Findings{{Rule: "r", Severity: diag.Error, Message: "line1\nline2", Range: diag.Range{File: "x.yml", Start: diag.Pos{Line: 1, Col: 1}}}}
	var b bytes.Buffer
	if err := WriteText(&b, fs, nil, false); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "x.yml:1:1: line1\\nline2 [r]\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriters_returnWriteErrors(t *testing.T) {
	src, fs := fixture(t)
	writers := map[string]func() error{
		"text":    func() error { return WriteText(failWriter{}, fs, src, true) },
		"json":    func() error { return WriteJSON(failWriter{}, fs) },
		"sarif":   func() error { return WriteSARIF(failWriter{}, fs, nil, "1.0.0", src) },
		"github":  func() error { return WriteGitHub(failWriter{}, fs) },
		"summary": func() error { return WriteSummary(failWriter{}, sampleSummary(fs)) },
		"annotate": func() error {
			_, _, err := Annotate(failWriter{}, fs, Limits{})
			return err
		},
	}
	for name, write := range writers {
		if err := write(); err == nil {
			t.Errorf("%s: no error from a failing writer", name)
		}
	}
}

// TestWriteTextNeutralizesCommands: lint output is read by a runner, which
// would act on "##[error]" anywhere in a line and on a line starting with
// "::". User text (YAML values in snippets and messages, file names) is
// defused with zero-width spaces; the underline stays aligned.
func TestWriteTextNeutralizesCommands(t *testing.T) {
	src := "a: '##[error]x'\n::warning::x\n"
	fs := diag.Findings{
		{Rule: "r", Severity: diag.Error, Message: `value "##[group]x"`,
			Range: diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 4}, End: diag.Pos{Line: 1, Col: 16}}},
		{Rule: "r", Severity: diag.Error, Message: "m",
			Range: diag.Range{File: "f.yml", Start: diag.Pos{Line: 2, Col: 1}, End: diag.Pos{Line: 2, Col: 13}}},
		{Rule: "r", Severity: diag.Error, Message: "m",
			Range: diag.Range{File: "::warning::x", Start: diag.Pos{Line: 1, Col: 1}}},
	}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, fs, map[string][]byte{"f.yml": []byte(src)}, color); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.Contains(line, "##[") {
				t.Errorf("color %v: a runner acts on %q", color, line)
			}
		}
		if color {
			continue
		}
		const z = "\u200b"
		want := ":" + z + ":warning::x:1:1: m [r]\n" +
			"f.yml:1:4: value \"#" + z + "#[group]x\" [r]\n  |\n1 | a: '#" + z + "#[error]x'\n  |    ^~~~~~~~~~~~\n" +
			"f.yml:2:1: m [r]\n  |\n2 | ::warning::x\n  | ^~~~~~~~~~~~\n"
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	}
}
