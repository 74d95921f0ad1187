package vars

import (
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	for name, c := range map[string]struct {
		in, want, err string
	}{
		"a duplicated key keeps its first place and its last value": {in: `{"a": 1, "b": 2, "a": [3]}`, want: `{"a":[3],"b":2}`},
		"escapes and a surrogate pair":                              {in: `["\u00e9\n\/", "\ud83d\ude00"]`, want: `["é\n/","😀"]`},
		"numbers as JavaScript reads them":                          {in: `[1.50, -0, 1e3, 1E400]`, want: `[1.5,0,1000,null]`},
		"a byte order mark is an error":                             {in: "\ufeff{}", err: `unexpected token '\ufeff' at line 1 column 1`},
		"a trailing comma in an object is an error":                 {in: "{\n  \"a\": 1,\n}", err: "expected double-quoted property name at line 3 column 1"},
		"a trailing comma in an array is an error":                  {in: `[1,]`, err: `unexpected token ']' at line 1 column 4`},
		"single quotes are an error":                                {in: `{'a': 1}`, err: "expected double-quoted property name at line 1 column 2"},
		"a leading zero is an error":                                {in: `01`, err: "unexpected non-whitespace character after JSON at line 1 column 2"},
		"a control character in a string is an error":               {in: "\"a\tb\"", err: "bad control character in string literal at line 1 column 3"},
		"an empty file is an error":                                 {in: ``, err: "unexpected end of JSON input at line 1 column 1"},
		"text after the value is an error":                          {in: `{} x`, err: "unexpected non-whitespace character after JSON at line 1 column 4"},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := parseJSON("f.json", []byte(c.in))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ReplaceAll(n.Stringify(), "\\n", "\n"); got != strings.ReplaceAll(c.want, "\\n", "\n") {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseJSONPositions(t *testing.T) {
	n, err := parseJSON("f.json", []byte("{\n  \"é\": [true,\n   \"x\"]}"))
	if err != nil {
		t.Fatal(err)
	}
	p := n.Pairs[0]
	if s := p.Key.Range.Start; s.Line != 2 || s.Col != 3 {
		t.Errorf("key at %v, want 2:3", s)
	}
	if s := p.Value.Items[1].Range.Start; s.Line != 3 || s.Col != 4 {
		t.Errorf("second item at %v, want 3:4", s)
	}
}
