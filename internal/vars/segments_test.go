package vars

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dumpVars renders parse results for comparison: every field the resolver
// reads. A meta's Start is left out when the meta holds no variables, as
// nothing reads it then (segments.go).
func dumpVars(vars []Var) string {
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "[%d,%d whole=%v esc=%v %q ctx=%d", v.Start, v.End, v.Whole, v.Escape, v.Text, v.ctx)
		for _, s := range v.Sources {
			fmt.Fprintf(&b, " {%q params=%v", s.Type, s.HasParams)
			for _, m := range s.Params {
				b.WriteString(" p" + dumpMeta(m))
			}
			if s.Address != nil {
				b.WriteString(" a" + dumpMeta(s.Address))
			}
			if s.Literal != nil {
				fmt.Fprintf(&b, " lit=%s:%s", s.Literal.Kind, s.Literal.Stringify())
			}
			b.WriteString("}")
		}
		b.WriteString("]")
	}
	return b.String()
}

func dumpMeta(m *Meta) string {
	s := fmt.Sprintf("(%s:%s", m.Value.Kind, m.Value.Stringify())
	if m.Vars != nil {
		s += fmt.Sprintf(" @%d %s", m.Start, dumpVars(m.Vars))
	}
	return s + ")"
}

// checkSimple fails when the shared parse answers s and its answer differs from
// Parse's, or when it answers a string Parse rejects.
func checkSimple(t *testing.T, s string, sp *simple) bool {
	t.Helper()
	got, ok := sp.parse(s)
	if !ok {
		return false
	}
	want, err := Parse(s)
	if err != nil {
		t.Errorf("shared parse of %q answered a string Parse rejects: %v", s, err)
		return true
	}
	if g, w := dumpVars(got), dumpVars(want); g != w {
		t.Errorf("shared parse of %q:\n got %s\nwant %s", s, g, w)
	}
	return true
}

// TestParseSimpleMatchesParse compares the shared parse of simple variables
// with the full parser on the parser's golden inputs, the golden configs'
// lines, and random strings over the characters the parser looks at; one
// segment cache serves them all, as one resolution shares it.
func TestParseSimpleMatchesParse(t *testing.T) {
	sp := &simple{segs: map[string]segment{}}
	var inputs []string
	data, err := os.ReadFile("testdata/parse_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Input string `json:"input"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		inputs = append(inputs, c.Input)
	}
	configs, _ := filepath.Glob("../../testdata/cases/*/serverless.yml")
	for _, p := range configs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if _, v, ok := strings.Cut(line, ": "); ok && strings.Contains(v, "${") {
				inputs = append(inputs, v, strings.Trim(v, `'"`))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "${}$:(),. 'ab-1\"\\sAtr"
	pieces := []string{"${", "${self:a}", "${aws:region}", "${opt:stage}", "${AWS::Region}", "${a(b)}", "${a:}", "${}", "${a:b, c}", "${1}", "$$"}
	for range 200_000 {
		var b strings.Builder
		for range rng.IntN(8) {
			if rng.IntN(3) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
		}
		inputs = append(inputs, b.String())
	}
	answered := 0
	for _, s := range inputs {
		if checkSimple(t, s, sp) {
			answered++
		}
	}
	// The test means something only if the shared parse answers often.
	if answered < len(inputs)/4 {
		t.Errorf("the shared parse answered %d of %d inputs", answered, len(inputs))
	}
}

// FuzzParseSimple compares the shared parse with the full parser, with a
// cache shared across inputs.
func FuzzParseSimple(f *testing.F) {
	for _, s := range []string{"a${self:a}b${aws:region}", "${AWS::Region}-${self:x}", "$${a:b}", "${a:b, c:d}", "${a(b,c):d}x", "${a:b}${", "${x:y}$"} {
		f.Add(s)
	}
	sp := &simple{segs: map[string]segment{}}
	f.Fuzz(func(t *testing.T, s string) {
		checkSimple(t, s, sp)
	})
}
