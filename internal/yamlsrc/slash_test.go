package yamlsrc

import (
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

// TestSlashEscape: js-yaml 4 (Serverless 3.40.0) reads "\/" in a
// double-quoted scalar as "/" and a backslash anywhere else as itself;
// yaml.v3 refused the whole file. The wanted values are js-yaml's output for
// this document; the columns after a "\/" on its line stay the source's.
func TestSlashEscape(t *testing.T) {
	src := `a: "x\/y"
b: x\/y
c: 'x\/y'
d: ["p\/q", z, "r\\/s", "\a\/"]
e: |
  lit\/eral
"k\/ey": v
f: "multi
  line\/s"
`
	n, fs := Parse("s.yml", []byte(src))
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	if got, want := n.Stringify(), `{"a":"x/y","b":"x\\/y","c":"x\\/y","d":["p/q","z","r\\/s","\u0007/"],"e":"lit\\/eral\n","k/ey":"v","f":"multi line/s"}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if z := n.Get("d").Items[1]; z.Range.Start != (diag.Pos{Line: 4, Col: 13}) || z.Range.End != (diag.Pos{Line: 4, Col: 14}) {
		t.Errorf("z at %v-%v, want 4:13-4:14", z.Range.Start, z.Range.End)
	}
	if a := n.Get("a"); a.Range.End != (diag.Pos{Line: 1, Col: 10}) {
		t.Errorf(`"x\/y" ends at %v, want 1:10`, a.Range.End)
	}
	// Every stand-in in use: the file is refused as before, at its line.
	_, fs = Parse("s.yml", []byte("a: \"\\/\"\nb: '\\a \\e \\b \\f \\v'\n"))
	if len(fs) != 1 || fs[0].Range.Start.Line != 1 {
		t.Errorf("with every stand-in taken: %v", fs)
	}
}

// TestSlashEscapeWithSurrogatePairs: a file with both escapes yaml.v3
// refuses, "\/" and a JSON-style surrogate pair (PHP's json_encode writes
// both by default), reads as js-yaml reads it whichever comes first: each
// retry used to be tried once, in one order, so a pair before the first
// "\/" left the file refused.
func TestSlashEscapeWithSurrogatePairs(t *testing.T) {
	for _, src := range []string{
		`{"a": "\ud83d\ude00 \/"}`,
		`{"a": "\/", "b": "\ud83d\ude00"}`,
		"a: \"\\ud83d\\ude00\"\nb: \"x\\/y\"\n",
	} {
		n, fs := Parse("s.yml", []byte(src))
		if len(fs) != 0 {
			t.Errorf("%s: %v", src, fs)
			continue
		}
		for _, p := range n.Pairs {
			if s := p.Value.Str; s != "😀 /" && s != "/" && s != "😀" && s != "x/y" {
				t.Errorf("%s: %s = %q", src, p.Key.Str, s)
			}
		}
	}
}
