package annotate

import (
	"bytes"
	"fmt"
	"runtime"
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
		want: "f.yml:1:6: error: m [r]\n  |\n1 | key: value\n  |      ^~~~~\n",
	}, {
		what: "non-ASCII before the span counts code points, not bytes",
		src:  "näme: wért\n",
		r:    span(1, 7, 1, 11),
		want: "f.yml:1:7: error: m [r]\n  |\n1 | näme: wért\n  |       ^~~~\n",
	}, {
		what: "wide characters take two cells",
		src:  "名前: 値値 x\n",
		r:    span(1, 5, 1, 7),
		want: "f.yml:1:5: error: m [r]\n  |\n1 | 名前: 値値 x\n  |       ^~~~\n",
	}, {
		what: "tabs expand to the next tab stop in line and underline",
		src:  "a:\tb\tcc\n",
		r:    span(1, 6, 1, 8),
		want: "f.yml:1:6: error: m [r]\n  |\n1 | a:      b       cc\n  | " + strings.Repeat(" ", 16) + "^~\n",
	}, {
		what: "a tab inside the span is underlined by its width",
		src:  "x\ty\n",
		r:    span(1, 1, 1, 4),
		want: "f.yml:1:1: error: m [r]\n  |\n1 | x       y\n  | " + "^" + strings.Repeat("~", 8) + "\n",
	}, {
		what: "point gets a lone caret",
		src:  "key: value\n",
		r:    diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 3}},
		want: "f.yml:1:3: error: m [r]\n  |\n1 | key: value\n  |   ^\n",
	}, {
		what: "multi-line span underlines to the end of its first line",
		src:  "a:\n  b: c\n  d: e\n",
		r:    span(2, 3, 3, 7),
		want: "f.yml:2:3: error: m [r]\n  |\n2 |   b: c\n  |   ^~~~\n",
	}, {
		what: "column past the end of line",
		src:  "key:\n",
		r:    diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 6}},
		want: "f.yml:1:6: error: m [r]\n  |\n1 | key:\n  |      ^\n",
	}, {
		what: "CRLF line ending and control characters",
		src:  "k: \x1b[31mv\r\n",
		r:    span(1, 4, 1, 5),
		want: "f.yml:1:4: error: m [r]\n  |\n1 | k: \uFFFD[31mv\n  |    ^\n",
	}, {
		what: "two-digit line numbers widen the gutter",
		src:  strings.Repeat("\n", 11) + "x: y\n",
		r:    span(12, 4, 12, 5),
		want: "f.yml:12:4: error: m [r]\n   |\n12 | x: y\n   |    ^\n",
	}, {
		what: "line beyond the file prints only the header",
		src:  "x: y\n",
		r:    span(7, 1, 7, 2),
		want: "f.yml:7:1: error: m [r]\n",
	}}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			fs := diag.Findings{{Rule: "r", Severity: diag.Error, Message: "m", Range: tt.r}}
			if err := WriteText(&b, fs, map[string][]byte{"f.yml": []byte(tt.src)}, false); err != nil {
				t.Fatal(err)
			}
			want := tt.want + "1 error, 0 warnings, 0 notices in 1 file\n"
			if d := cmp.Diff(want, b.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestWriteText_headerHasSeverity(t *testing.T) {
	src, fs := fixture(t)
	var b bytes.Buffer
	if err := WriteText(&b, fs[:1], src, false); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(b.String(), "\n")
	f := fs[0]
	want := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.Range.File, f.Range.Start.Line, f.Range.Start.Col, f.Severity, f.Message, f.Rule)
	if first != want {
		t.Errorf("header = %q, want %q", first, want)
	}
}

// TestWriteTextTotals: the last line counts findings by severity, in
// singular or plural, and the files; a clean run says so.
func TestWriteTextTotals(t *testing.T) {
	at := func(file string, sev diag.Severity) diag.Finding {
		return diag.Finding{Rule: "r", Severity: sev, Message: "m", Range: diag.Range{File: file, Start: diag.Pos{Line: 1, Col: 1}}}
	}
	one := map[string][]byte{"a.yml": []byte("a: 1\n")}
	tests := []struct {
		fs   diag.Findings
		src  map[string][]byte
		want string
	}{
		{nil, one, "no problems found in 1 file"},
		{nil, map[string][]byte{"a.yml": nil, ".env": nil}, "no problems found in 2 files"},
		{diag.Findings{at("a.yml", diag.Error)}, one, "1 error, 0 warnings, 0 notices in 1 file"},
		{diag.Findings{at("a.yml", diag.Error), at("a.yml", diag.Error), at("a.yml", diag.Warning)}, one, "2 errors, 1 warning, 0 notices in 1 file"},
		{diag.Findings{at("a.yml", diag.Notice), at("b.yml", diag.Notice)}, one, "0 errors, 0 warnings, 2 notices in 2 files"},
		{diag.Findings{at("serverless.yml", diag.Error)}, nil, "1 error, 0 warnings, 0 notices in 1 file"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := WriteText(&b, tt.fs, tt.src, false); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if got := lines[len(lines)-1]; got != tt.want {
			t.Errorf("%d findings: last line %q, want %q", len(tt.fs), got, tt.want)
		}
	}
}

func TestWriteText_noSourceAndNoColor(t *testing.T) {
	fs := diag.Findings{{Rule: "r", Severity: diag.Error, Message: "line1\nline2", Range: diag.Range{File: "x.yml", Start: diag.Pos{Line: 1, Col: 1}}}}
	var b bytes.Buffer
	if err := WriteText(&b, fs, nil, false); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "x.yml:1:1: error: line1\\nline2 [r]\n1 error, 0 warnings, 0 notices in 1 file\n"; got != want {
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
		want := ":" + z + ":warning::x:1:1: error: m [r]\n" +
			"f.yml:1:4: error: value \"#" + z + "#[group]x\" [r]\n  |\n1 | a: '#" + z + "#[error]x'\n  |    ^~~~~~~~~~~~\n" +
			"f.yml:2:1: error: m [r]\n  |\n2 | ::warning::x\n  | ^~~~~~~~~~~~\n" +
			"3 errors, 0 warnings, 0 notices in 2 files\n"
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	}
}

// TestWriteTextCutsLongLines: a long line is printed as a window around the
// finding's column, with the caret still under its character; a 5 MB line
// was printed, and underlined, in full.
func TestWriteTextCutsLongLines(t *testing.T) {
	long := strings.Repeat("x", 1000) + "TARGET" + strings.Repeat("y", 1000)
	tests := []struct {
		what, src string
		col, end  int
		before    bool // an ellipsis before the window
		after     bool
	}{
		{"middle of a long ASCII line", "a: " + long + "\n", 1004, 1010, true, true},
		{"non-ASCII before the column", "a: " + strings.Repeat("éü", 500) + "TARGET" + strings.Repeat("y", 1000) + "\n", 1004, 1010, true, true},
		{"near the start: nothing cut before", "a: TARGET" + strings.Repeat("y", 1000) + "\n", 4, 10, false, true},
		{"near the end: nothing cut after", "a: " + strings.Repeat("x", 1000) + "TARGET\n", 1004, 1010, true, false},
		{"a span running past the window", "a: " + long + "\n", 1004, 2000, true, true},
		{"a 5 MB line", "a: " + strings.Repeat("x", 5<<20) + "TARGET" + "\n", 3 + 5<<20 + 1, 3 + 5<<20 + 7, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			f := diag.Finding{Rule: "r", Message: "m", Range: diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: tt.col}, End: diag.Pos{Line: 1, Col: tt.end}}}
			var buf bytes.Buffer
			if err := WriteText(&buf, diag.Findings{f}, map[string][]byte{"f.yml": []byte(tt.src)}, false); err != nil {
				t.Fatal(err)
			}
			out := strings.Split(buf.String(), "\n")
			if len(out) != 6 || buf.Len() > 1000 {
				t.Fatalf("want a header, a three-line snippet and totals of at most 1000 bytes, got %d bytes:\n%.2000s", buf.Len(), buf.String())
			}
			text, mark := []rune(strings.TrimPrefix(out[2], "1 | ")), strings.TrimPrefix(out[3], "  | ")
			caret := strings.IndexByte(mark, '^')
			if caret < 0 || caret >= len(text) || string(text[caret:min(caret+6, len(text))]) != "TARGET" {
				t.Errorf("the caret is not under TARGET:\n%s\n%s", string(text), mark)
			}
			if got := strings.HasPrefix(string(text), "…"); got != tt.before {
				t.Errorf("leading ellipsis %v, want %v: %s", got, tt.before, string(text))
			}
			if got := strings.HasSuffix(string(text), "…"); got != tt.after {
				t.Errorf("trailing ellipsis %v, want %v: %s", got, tt.after, string(text))
			}
			if w := len(mark) - caret; tt.end-tt.col <= 6 && w != tt.end-tt.col {
				t.Errorf("underline %q is %d wide, want %d", mark, w, tt.end-tt.col)
			}
		})
	}
}

// TestManyFindingsOnOneLongLine: neither the text writer nor the SARIF
// fingerprints copy or rescan a long line per finding (5,000 findings on a
// 2 MB line allocated about 60 GB).
func TestManyFindingsOnOneLongLine(t *testing.T) {
	src := map[string][]byte{"f.yml": []byte("a: " + strings.Repeat("é", 1<<20) + "\n")}
	var fs diag.Findings
	for i := range 5000 {
		fs = append(fs, diag.Finding{Rule: "r", Severity: diag.Error, Message: "m", Range: diag.Range{File: "f.yml", Start: diag.Pos{Line: 1, Col: 4 + i*200}}})
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var buf bytes.Buffer
	if err := WriteText(&buf, fs, src, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteSARIF(&buf, fs, nil, "test", src); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	// About 30 MB (more under the race detector); 60 GB before.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("writing 5,000 findings on one 2 MB line allocates %d MB, want at most 256 MB", alloc>>20)
	}
}
