package annotate

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

// runnerCommand is a workflow command as the runner sees it.
type runnerCommand struct {
	Name  string
	Props map[string]string
	Data  string
}

// parseRunnerOutput mimics the GitHub Actions runner: it splits step output
// into lines like .NET's StreamReader.ReadLine ("\n", "\r\n" or "\r") and
// parses each with a port of ActionCommand.TryParseV2
// (actions/runner src/Runner.Common/ActionCommand.cs).
func parseRunnerOutput(out string) []runnerCommand {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
	var cmds []runnerCommand
	for _, l := range lines {
		if c, ok := tryParseV2(l); ok {
			cmds = append(cmds, c)
		}
	}
	return cmds
}

func tryParseV2(message string) (runnerCommand, bool) {
	registered := map[string]bool{"error": true, "warning": true, "notice": true, "debug": true, "stop-commands": true, "add-mask": true}
	message = strings.TrimLeftFunc(message, unicode.IsSpace)
	if !strings.HasPrefix(message, "::") {
		return runnerCommand{}, false
	}
	end := strings.Index(message[2:], "::")
	if end < 0 {
		return runnerCommand{}, false
	}
	end += 2
	info := message[2:end]
	name, props, hasSpace := strings.Cut(info, " ")
	if !registered[name] {
		return runnerCommand{}, false
	}
	c := runnerCommand{Name: name, Props: map[string]string{}}
	if hasSpace && strings.Index(info, " ") > 0 {
		for _, p := range splitRemoveEmpty(strings.TrimSpace(props), ',', -1) {
			pair := splitRemoveEmpty(p, '=', 2)
			if len(pair) == 2 {
				c.Props[pair[0]] = unescapeRunner(pair[1], "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
			}
		}
	}
	c.Data = unescapeRunner(message[end+2:], "%0D", "\r", "%0A", "\n", "%25", "%")
	return c, true
}

// splitRemoveEmpty ports .NET String.Split(sep, count,
// StringSplitOptions.RemoveEmptyEntries): empty pieces are dropped, and once
// count-1 pieces are taken, separators directly following are skipped and
// the rest becomes the last piece. count < 0 means no limit.
func splitRemoveEmpty(s string, sep byte, count int) []string {
	var out []string
	cur := 0
	for i := 0; i < len(s); i++ {
		if s[i] != sep {
			continue
		}
		if i > cur {
			out = append(out, s[cur:i])
		}
		cur = i + 1
		if count > 0 && len(out) == count-1 {
			for cur < len(s) && s[cur] == sep {
				cur++
			}
			break
		}
	}
	if cur < len(s) {
		out = append(out, s[cur:])
	}
	return out
}

// unescapeRunner applies the runner's replacements in its order.
func unescapeRunner(s string, pairs ...string) string {
	for i := 0; i < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return s
}

func TestSplitRemoveEmpty(t *testing.T) {
	// Expected values are what .NET returns for the same calls.
	tests := []struct {
		in    string
		sep   byte
		count int
		want  []string
	}{
		{"a=b", '=', 2, []string{"a", "b"}},
		{"a=b=c", '=', 2, []string{"a", "b=c"}},
		{"a==b", '=', 2, []string{"a", "b"}},
		{"a=", '=', 2, []string{"a"}},
		{",a,,b,", ',', -1, []string{"a", "b"}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, splitRemoveEmpty(tt.in, tt.sep, tt.count)); d != "" {
			t.Errorf("%q: (-want +got):\n%s", tt.in, d)
		}
	}
}

// hostile holds values that would break naive workflow commands.
var hostileValues = []string{
	"plain",
	"100%",
	"%25 already escaped %0A %3A %2C",
	"line1\nline2",
	"cr\rlf\r\n",
	"::error file=x.yml::injected",
	"a::b",
	"comma, separated, values",
	"key=value,title=evil",
	"trailing%",
	"\n::stop-commands::token\n",
	"unicode ✓ 注文",
}

func TestWriteGitHub_roundTripsThroughRunnerParser(t *testing.T) {
	var fs diag.Findings
	for i, v := range hostileValues {
		fs = append(fs, diag.Finding{
			Rule:     "rule," + strconv.Itoa(i) + ":x",
			Severity: []diag.Severity{diag.Error, diag.Warning, diag.Notice}[i%3],
			Message:  v,
			Range:    diag.Range{File: "dir,1/" + v + "/s.yml", Start: diag.Pos{Line: i + 1, Col: 2}, End: diag.Pos{Line: i + 1, Col: 9}},
		})
	}
	fs = append(fs, diag.Finding{Rule: "=eq", Severity: diag.Error, Message: "file starts with =",
		Range: diag.Range{File: "=odd.yml", Start: diag.Pos{Line: 1, Col: 1}}})
	var b bytes.Buffer
	if err := WriteGitHub(&b, fs); err != nil {
		t.Fatal(err)
	}
	got := parseRunnerOutput(b.String())
	var want []runnerCommand
	for _, f := range bySeverity(fs) {
		want = append(want, expectedCommand(f))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("runner parse (-want +got):\n%s\noutput:\n%s", d, b.String())
	}
}

// expectedCommand is what the runner must see for f.
func expectedCommand(f diag.Finding) runnerCommand {
	r := f.Range
	props := map[string]string{"file": f.Range.File, "line": strconv.Itoa(r.Start.Line), "col": strconv.Itoa(r.Start.Col), "title": f.Rule}
	if strings.HasPrefix(f.Range.File, "=") {
		props["file"] = "./" + f.Range.File
		props["title"] = strings.TrimLeft(f.Rule, "=")
	}
	if !r.End.IsZero() {
		props["endLine"] = strconv.Itoa(r.End.Line)
		props["endColumn"] = strconv.Itoa(r.End.Col)
	}
	return runnerCommand{Name: f.Severity.String(), Props: props, Data: f.Message}
}

func FuzzEscapeRoundTrip(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v, v)
	}
	f.Fuzz(func(t *testing.T, file, msg string) {
		if file == "" {
			t.Skip()
		}
		want := file
		if strings.HasPrefix(file, "=") {
			want = "./" + file
		}
		fs := diag.Findings{{Rule: "r", Severity: diag.Warning, Message: msg, Range: diag.Range{File: file, Start: diag.Pos{Line: 3, Col: 4}}}}
		var b bytes.Buffer
		if err := WriteGitHub(&b, fs); err != nil {
			t.Fatal(err)
		}
		got := parseRunnerOutput(b.String())
		if len(got) != 1 || got[0].Props["file"] != want || got[0].Data != msg {
			t.Fatalf("file %q msg %q parsed as %+v", file, msg, got)
		}
	})
}

func TestWriteGitHub_format(t *testing.T) {
	tests := []struct {
		what string
		f    diag.Finding
		want string
	}{{
		what: "single-line span",
		f:    diag.Finding{Rule: "stream-batch-size", Severity: diag.Error, Message: "too big", Range: diag.Range{File: "svc/serverless.yml", Start: diag.Pos{Line: 10, Col: 22}, End: diag.Pos{Line: 10, Col: 27}}},
		want: "::error file=svc/serverless.yml,line=10,col=22,endLine=10,endColumn=27,title=stream-batch-size::too big\n",
	}, {
		what: "multi-line span drops columns as the runner would",
		f:    diag.Finding{Rule: "r", Severity: diag.Warning, Message: "m", Range: diag.Range{File: "s.yml", Start: diag.Pos{Line: 2, Col: 3}, End: diag.Pos{Line: 5, Col: 1}}},
		want: "::warning file=s.yml,line=2,endLine=5,title=r::m\n",
	}, {
		what: "point",
		f:    diag.Finding{Rule: "r", Severity: diag.Notice, Message: "m", Range: diag.Range{File: "s.yml", Start: diag.Pos{Line: 2, Col: 3}}},
		want: "::notice file=s.yml,line=2,col=3,title=r::m\n",
	}, {
		what: "no position, no rule",
		f:    diag.Finding{Severity: diag.Error, Message: "100%\ndone", Range: diag.Range{File: "a,b:c.yml"}},
		want: "::error file=a%2Cb%3Ac.yml::100%25%0Adone\n",
	}}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteGitHub(&b, diag.Findings{tt.f}); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// findings returns n findings of severity s in file, one per line.
func findings(s diag.Severity, n int, file string) diag.Findings {
	var fs diag.Findings
	for i := range n {
		fs = append(fs, diag.Finding{Rule: "r", Severity: s, Message: s.String() + strconv.Itoa(i),
			Range: diag.Range{File: file, Start: diag.Pos{Line: i + 1, Col: 1}}})
	}
	return fs
}

func TestAnnotate_limits(t *testing.T) {
	tests := []struct {
		what                          string
		errors, warnings, notices     int
		limit                         Limits
		wantErr, wantWarn, wantNotice int // annotations per level, closing notice included
		wantEmitted, wantOmitted      int
		wantClosing                   bool
	}{
		{"overflow reserves a notice slot", 25, 15, 3, Limits{}, 10, 10, 4, 23, 20, true},
		{"notices overflow alone", 2, 0, 12, Limits{}, 2, 0, 10, 11, 3, true},
		{"exactly at the limits needs no closing notice", 10, 10, 10, Limits{}, 10, 10, 10, 30, 0, false},
		{"custom limits", 5, 5, 0, Limits{Errors: 2, Warnings: 1, Notices: 1}, 2, 1, 1, 3, 7, true},
		{"no notice budget, no closing notice", 3, 0, 0, Limits{Errors: 1, Warnings: 1, Notices: 0}, 1, 0, 0, 1, 2, false},
		{"nothing to say", 0, 0, 0, Limits{}, 0, 0, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			// Warnings and notices come first in the input to prove reordering.
			fs := append(findings(diag.Notice, tt.notices, "a.yml"), findings(diag.Warning, tt.warnings, "b.yml")...)
			fs = append(fs, findings(diag.Error, tt.errors, "c.yml")...)
			var b bytes.Buffer
			emitted, omitted, err := Annotate(&b, fs, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			cmds := parseRunnerOutput(b.String())
			count := map[string]int{}
			for _, c := range cmds {
				count[c.Name]++
			}
			got := []int{count["error"], count["warning"], count["notice"], emitted, omitted}
			want := []int{tt.wantErr, tt.wantWarn, tt.wantNotice, tt.wantEmitted, tt.wantOmitted}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("[errors warnings notices emitted omitted] (-want +got):\n%s\n%s", d, b.String())
			}
			closing := len(cmds) > 0 && strings.Contains(cmds[len(cmds)-1].Data, "more finding")
			if closing != tt.wantClosing {
				t.Errorf("closing notice = %v, want %v", closing, tt.wantClosing)
			}
			if closing && !strings.HasPrefix(cmds[len(cmds)-1].Data, strconv.Itoa(tt.wantOmitted)+" more") {
				t.Errorf("closing notice %q does not count %d omitted", cmds[len(cmds)-1].Data, tt.wantOmitted)
			}
		})
	}
}

func TestAnnotate_mostImportantFirst(t *testing.T) {
	fs := append(findings(diag.Warning, 3, "a.yml"), findings(diag.Error, 12, "z.yml")...)
	fs = append(fs, findings(diag.Error, 2, "b.yml")...)
	var b bytes.Buffer
	if _, _, err := Annotate(&b, fs, Limits{Errors: 3, Warnings: 1, Notices: 2}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range parseRunnerOutput(b.String()) {
		got = append(got, c.Name+" "+c.Props["file"]+":"+c.Props["line"])
	}
	want := []string{"error b.yml:1", "error b.yml:2", "error z.yml:1", "warning a.yml:1", "notice :"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
