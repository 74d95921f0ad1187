package textsafe

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"plain text 123":              "plain text 123",
		"a|b":                         `a\|b`,
		"<script>x</script>":          "&lt;script&gt;x&lt;/script&gt;",
		"<!-- hide the rest":          `&lt;!-- hide the rest`,
		"&lt; as typed":               "&amp;lt; as typed",
		"`code` *b* _i_ ~s~":          "\\`code\\` \\*b\\* \\_i\\_ \\~s\\~",
		"[link](http://x)":            `\[link\](http://x)`,
		"# heading":                   `\# heading`,
		`back\slash`:                  `back\\slash`,
		"two\nlines\r\nthree\rfour":   "two<br>lines<br>three<br>four",
		"ping @octocat and @org/team": "ping @\u200boctocat and @\u200borg/team",
		"bad \xff utf-8 _":            "bad \xff utf-8 \\_",
		"":                            "",
		"注文 ✓":                        "注文 ✓",
	} {
		if got := Markdown(in); got != want {
			t.Errorf("Markdown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownCode(t *testing.T) {
	for in, want := range map[string]string{
		"AWS::Lambda::Function": "AWS::Lambda::Function",
		"a`b":                   "a'b",
		"a|b":                   `a\|b`,
		"a\r\nb\nc\rd":          "a b c d",
		"<b>_x_":                "<b>_x_", // shown literally inside a code span
	} {
		if got := MarkdownCode(in); got != want {
			t.Errorf("MarkdownCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCommand(t *testing.T) {
	for _, c := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\n::error::x", "a%0D%0A::error::x", "a%0D%0A%3A%3Aerror%3A%3Ax"},
		{"file=a.yml,line=1", "file=a.yml,line=1", "file=a.yml%2Cline=1"},
		{"%0A", "%250A", "%250A"}, // an encoded break stays text
		{"\xff:", "\xff:", "\xff%3A"},
	} {
		if got := CommandData(c.in); got != c.data {
			t.Errorf("CommandData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := CommandProperty(c.in); got != c.prop {
			t.Errorf("CommandProperty(%q) = %q, want %q", c.in, got, c.prop)
		}
	}
}

// runnerCommand reports whether a runner would take a line of s as a
// workflow command: its line reader splits at "\n", "\r" and "\r\n"; a
// v2 command is a line that, trimmed of white space, starts with "::";
// a v1 command has "##[" anywhere.
func runnerCommand(s string) bool {
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[") {
			return true
		}
	}
	return false
}

var hostile = []string{
	"::warning::x",
	"  \t::error file=a,line=1::pwned",
	"ok\n::add-mask::secret",
	"ok\r::stop-commands::tok",
	"ok\r\n  ::group::g",
	"\u00a0::notice::nbsp is white space to the runner",
	"\u2003::notice::so is an em space",
	"##[error]x",
	"value: ##[group]title",
	"###[error]x",
	"##[##[error]]",
	":::triple",
	"::",
	"#",
	"a::b is fine mid-line",
	"\xff::invalid utf-8 first",
}

func TestNeutralize(t *testing.T) {
	for _, in := range hostile {
		if !runnerCommand(in) && in != "a::b is fine mid-line" && in != "\xff::invalid utf-8 first" && in != "#" {
			t.Errorf("%q: the runner model misses it", in)
		}
		checkNeutralized(t, in)
	}
	for in, want := range map[string]string{
		"::warning::x":            ":\u200b:warning::x",
		"  ::error::x":            "  :\u200b:error::x",
		"##[error]x":              "#\u200b#[error]x",
		"a\n::x\n##[y]":           "a\n:\u200b:x\n#\u200b#[y]",
		"no commands: a::b ## [x": "no commands: a::b ## [x",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkNeutralized: nothing in the output is a command, and only zero-width
// spaces were added.
func checkNeutralized(t *testing.T, in string) {
	t.Helper()
	out := Neutralize(in)
	if runnerCommand(out) {
		t.Errorf("Neutralize(%q) = %q is still a command", in, out)
	}
	if strings.ReplaceAll(out, zwsp, "") != strings.ReplaceAll(in, zwsp, "") {
		t.Errorf("Neutralize(%q) = %q changed more than it added", in, out)
	}
}

func FuzzNeutralize(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(checkNeutralized)
}

func TestLine(t *testing.T) {
	for _, in := range hostile {
		out := Line(in)
		if strings.ContainsAny(out, "\r\n") || runnerCommand(out) {
			t.Errorf("Line(%q) = %q: not one inert line", in, out)
		}
	}
	for in, want := range map[string]string{
		"Resource creation cancelled": "Resource creation cancelled",
		"a\r\nb\rc\nd":                "a b c d",
		"x\n::error::y":               "x ::error::y", // mid-line now: no longer a command
		"::set-output name=a::b":      ":\u200b:set-output name=a::b",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"m":"##[error]x"}`:  `{"m":"#\u0023[error]x"}`,
		`{"m":"###[x ##[y"}`:  `{"m":"##\u0023[x #\u0023[y"}`,
		`{"m":"\\##[x"}`:      `{"m":"\\#\u0023[x"}`,
		`{"m":"::error::x"}`:  `{"m":"::error::x"}`, // never at a line start in JSON
		`{"m":"# [not one]"}`: `{"m":"# [not one]"}`,
	} {
		got := string(JSON([]byte(in)))
		if got != want || runnerCommand(got) {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
		}
		var a, b any
		if json.Unmarshal([]byte(in), &a) != nil || json.Unmarshal([]byte(got), &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("JSON(%s) = %s decodes differently", in, got)
		}
	}
}
