package yamlsrc

import (
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

func TestParseValues(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"getatt dot form splits at the first dot", "a: !GetAtt T.StreamArn.x", `{"a":{"Fn::GetAtt":["T","StreamArn.x"]}}`},
		{"getatt list form", "a: !GetAtt [T, Arn]", `{"a":{"Fn::GetAtt":["T","Arn"]}}`},
		{"ref and sub", "a: !Ref X\nb: !Sub '${AWS::Region}-x'", `{"a":{"Ref":"X"},"b":{"Fn::Sub":"${AWS::Region}-x"}}`},
		{"nested tags", "a: !Join [':', [!Ref A, !ImportValue B]]", `{"a":{"Fn::Join":[":",[{"Ref":"A"},{"Fn::ImportValue":"B"}]]}}`},
		{"every other tag", "a: [!If [c, 1, 2], !Equals [1, 1], !And [], !Or [], !Not [x], !FindInMap [m, k, v], !Base64 x, !GetAZs '', !Cidr [a, 1, 2], !Condition c, !Select [0, [a]], !Split [',', 'a,b']]",
			`{"a":[{"Fn::If":["c",1,2]},{"Fn::Equals":[1,1]},{"Fn::And":[]},{"Fn::Or":[]},{"Fn::Not":["x"]},{"Fn::FindInMap":["m","k","v"]},{"Fn::Base64":"x"},{"Fn::GetAZs":""},{"Fn::Cidr":["a",1,2]},{"Condition":"c"},{"Fn::Select":[0,["a"]]},{"Fn::Split":[",","a,b"]}]}`},
		{"tagged scalar stays a string", "a: !Ref 10", `{"a":{"Ref":"10"}}`},
		{"merge keys: explicit keys win, merged keys follow", "base: &b {x: 1, y: 2}\nm:\n  y: 0\n  <<: *b\n  z: 3", `{"base":{"x":1,"y":2},"m":{"y":0,"x":1,"z":3}}`},
		{"yes and on are strings, as in js-yaml", "a: yes\nb: on\nc: true", `{"a":"yes","b":"on","c":true}`},
		{"numbers", "a: 0x1F\nb: 1e3\nc: 2.50\nd: -0\ne: .inf", `{"a":31,"b":1000,"c":2.5,"d":0,"e":null}`},
		{"timestamps become ISO strings like a JS Date", "a: 2024-01-01T00:00:00Z\nb: 2024-01-02", `{"a":"2024-01-01T00:00:00.000Z","b":"2024-01-02T00:00:00.000Z"}`},
		{"integer keys are strings", "1: a\n2: b", `{"1":"a","2":"b"}`},
		{"json input", `{"service": "x", "n": [1, 2.5]}`, `{"service":"x","n":[1,2.5]}`},
		{"empty document", "", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fs := Parse("serverless.yml", []byte(tt.src))
			if len(fs) > 0 {
				t.Fatalf("findings: %v", fs)
			}
			if got := n.Stringify(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseFindings(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"duplicate key", "a: 1\nb: 2\na: 3", `serverless.yml:3:1: key "a" is duplicated; previously defined at line 1, column 1 [yaml-syntax]`},
		{"syntax error has its line", "a: 1\n b: [", "serverless.yml:2:1: cannot parse YAML:"},
		{"two documents", "a: 1\n---\nb: 2", "serverless.yml:2:1: the file holds more than one YAML document"},
		{"unknown tag", "a: !Foo x", `serverless.yml:1:4: unknown tag "!Foo"`},
		{"merge of a scalar", "a:\n  <<: 1", "serverless.yml:2:7: a merge key (<<) needs a mapping"},
		{"nesting beyond yaml.v3's cap of 10,000 levels", "a: 1\nb: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001), "serverless.yml:2:1: cannot parse YAML: exceeded max depth of 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := Parse("serverless.yml", []byte(tt.src))
			if len(fs) == 0 || !strings.HasPrefix(fs[0].String(), tt.want) {
				t.Errorf("got %v, want a finding starting %q", fs, tt.want)
			}
		})
	}
}

// TestSyntaxErrorLines: yaml.v3 reports its parser's errors one line early
// (an unclosed [ on line 7 at line 6). js-yaml, which Serverless uses,
// reports where it gives up (the "js-yaml" column, for comparison); yaml.v3
// names the start of the collection it was parsing, or the token it could
// not parse, and the finding gives that line.
func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		jsYAML    string // line:col from js-yaml 4.3 for the same text
	}{
		{"unclosed [ on line 7", "service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    events:\n      - stream: [1, 2\n", 7, "8:1"},
		{"unclosed [ with lines after it", "service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    events:\n      - stream: [1, 2\nother: x\n", 7, "8:1"},
		{"unclosed { on line 2", "a: 1\nb: {c: 1\nd: 2\n", 2, "3:1"},
		{"unclosed [ on line 1: the token after it", "a: [1\nb: 2\n", 2, "2:1"},
		{"key indented less than its mapping", "a:\n  b: 1\n c: 2\n", 3, "3:2"},
		{"sequence entry in a mapping: the mapping's start", "a:\n  b: 1\n  - c\n", 2, "3:3"},
		{"mapping value in a plain scalar (scanner)", "a: 1\nb: 2\nc: d: e\n", 3, "3:5"},
		{"unclosed double quote (scanner)", "a: 1\nb: 2\nc: \"x\nd: 3\n", 3, "5:1"},
		{"tab indentation (scanner)", "a:\n\tb: 1\n", 2, "2:1"},
		{"character that cannot start a token (scanner)", "a: 1\nb: @x\n", 2, "2:4"},
		{"block entry in a mapping value (scanner)", "a: 1\nb: - c\n", 2, "2:4"},
		{"unknown escape (scanner)", "a: 1\nb: \"\\q\"\n", 2, "2:6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := Parse("serverless.yml", []byte(tt.src))
			if len(fs) != 1 || fs[0].Rule != Rule || fs[0].Range.Start.Line != tt.line {
				t.Errorf("got %v, want one %s finding on line %d (js-yaml: %s)", fs, Rule, tt.line, tt.jsYAML)
			}
		})
	}
}

func TestRanges(t *testing.T) {
	src := "a: plain value # c\nb: \"q\\\"uoted\"\nc: 'it''s'\nd: [x, yy]\ne: !Ref Thing\nf: é-ü\n"
	n, _ := Parse("f.yml", []byte(src))
	tests := []struct {
		key        string
		start, end diag.Pos
	}{
		{"a", diag.Pos{Line: 1, Col: 4}, diag.Pos{Line: 1, Col: 15}},
		{"b", diag.Pos{Line: 2, Col: 4}, diag.Pos{Line: 2, Col: 14}},
		{"c", diag.Pos{Line: 3, Col: 4}, diag.Pos{Line: 3, Col: 11}},
		{"d", diag.Pos{Line: 4, Col: 4}, diag.Pos{Line: 4, Col: 10}},
		{"e", diag.Pos{Line: 5, Col: 4}, diag.Pos{Line: 5, Col: 14}},
		{"f", diag.Pos{Line: 6, Col: 4}, diag.Pos{Line: 6, Col: 7}},
	}
	for _, tt := range tests {
		r := n.Get(tt.key).Range
		if r.Start != tt.start || r.End != tt.end || r.File != "f.yml" {
			t.Errorf("%s: range %v-%v, want %v-%v", tt.key, r.Start, r.End, tt.start, tt.end)
		}
	}
	if k := n.Pairs[1].Key.Range; k.Start != (diag.Pos{Line: 2, Col: 1}) || k.End != (diag.Pos{Line: 2, Col: 2}) {
		t.Errorf("key range %v", k)
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, fs := Parse("bomb.yml", []byte(b.String()))
	if len(fs) == 0 || !strings.Contains(fs[0].Message, "alias expansion") {
		t.Fatalf("want an alias expansion finding, got %v", fs)
	}
}

// TestLongValueAliasesAreBounded: a 100 kB value behind an anchor used by
// 1,000 aliases is 100 MB of configuration from 110 kB of YAML; past
// MaxScalarBytes the expansion stops with a finding at the alias that
// crossed it (10,000 such aliases took 35 s and 2.4 GB to lint before).
func TestLongValueAliasesAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("big: &big " + strings.Repeat("x", 100_000) + "\nlist:\n")
	for range 1000 {
		b.WriteString("  - *big\n")
	}
	n, fs := Parse("f.yml", []byte(b.String()))
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "MiB of text") || fs[0].Range.Start.Line < 3 {
		t.Fatalf("want one finding at an alias, got %v", fs)
	}
	if items := n.Get("list").Items; len(items) != 1000 || !items[999].IsNull() || items[0].Str == "" {
		t.Errorf("the values past the bound are not null, or the first is lost")
	}
	// Below the bound, aliases cost nothing extra and find nothing.
	if _, fs := Parse("f.yml", []byte("big: &big "+strings.Repeat("x", 100_000)+"\nlist: [*big, *big, *big]\n")); len(fs) != 0 {
		t.Errorf("three aliases: %v", fs)
	}
}

func TestRangesOfTaggedAndAnchoredScalars(t *testing.T) {
	n, _ := Parse("f.yml", []byte("a: !!str 12\nb: &x val\nc: *x\n"))
	for key, want := range map[string]diag.Pos{"a": {Line: 1, Col: 12}, "b": {Line: 2, Col: 10}} {
		if got := n.Get(key).Range.End; got != want {
			t.Errorf("%s ends at %v, want %v", key, got, want)
		}
	}
}

// TestPlainScalarsAsJSYAML pins plain-scalar resolution to what js-yaml 4.3
// (Serverless v3's parser) returns, recorded with node.
func TestPlainScalarsAsJSYAML(t *testing.T) {
	tests := map[string]string{
		"0777": "777", "000000000017": "17", "0100": "100", "1_000": `"1_000"`, "1_000.5": `"1_000.5"`,
		"0x1F": "31", "0o17": "15", "0b101": "5", "+12": "12", "-0": "0", "012.5": "12.5", "1e3": "1000",
		".5": "0.5", "5.": "5", "08": "8", "-017": "-17", "+0x1F": "31", "0x_1F": `"0x_1F"`,
		"-.5": `"-.5"`, "1.e3": "1000", "1.5E-3": "0.0015", "0b": `"0b"`, "0o8": `"0o8"`, "1e400": `"1e400"`,
		"9007199254740993": "9007199254740992", "0xFFFFFFFFFFFFFFFFFF": "4.722366482869645e+21",
		".inf": "null", "-.Inf": "null", ".NaN": "null", "-.nan": `"-.nan"`, "Infinity": `"Infinity"`,
		"True": "true", "FALSE": "false", "fAlse": `"fAlse"`, "yes": `"yes"`, "~": "null", "NULL": "null",
		"12:30:00": `"12:30:00"`, "1:20": `"1:20"`,
		"2001-12-14 21:59:43.10 -5":        `"2001-12-15T02:59:43.100Z"`,
		"2001-01-02T03:04:05.123456+01:30": `"2001-01-02T01:34:05.123Z"`,
		"2001-1-2 3:04:05":                 `"2001-01-02T03:04:05.000Z"`,
		"2002-12-14":                       `"2002-12-14T00:00:00.000Z"`,
	}
	for in, want := range tests {
		n, fs := Parse("f.yml", []byte("a: "+in))
		if len(fs) > 0 {
			t.Errorf("%q: %v", in, fs)
			continue
		}
		if got := n.Get("a").Stringify(); got != want {
			t.Errorf("%q = %s, want %s (js-yaml)", in, got, want)
		}
	}
}

func TestSurrogatePairEscapes(t *testing.T) {
	n, fs := Parse("f.yml", []byte(`a: "\ud83d\ude00 \u00e9"`+"\n"))
	if len(fs) > 0 || n.Get("a").Str != "😀 é" {
		t.Errorf("got %v, %v", n.Get("a").Describe(), fs)
	}
}

// TestSurrogatePairRewriteKeepsOtherScalars: the slow path's retry joins
// the JSON-style surrogate pairs yaml.v3 refuses; outside double quotes a
// backslash is no escape and js-yaml keeps the text as written. The wanted
// values are js-yaml's for this document.
func TestSurrogatePairRewriteKeepsOtherScalars(t *testing.T) {
	src := "a: \"\\ud83d\\ude00\"\nb: x\\ud83d\\ude00\nc: 'y\\ud83d\\ude00'\nd: |\n  z\\ud83d\\ude00\ne\\ud83d\\ude00: k\n"
	n, fs := Parse("f.yml", []byte(src))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	if got, want := n.Stringify(), `{"a":"😀","b":"x\\ud83d\\ude00","c":"y\\ud83d\\ude00","d":"z\\ud83d\\ude00\n","e\\ud83d\\ude00":"k"}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestRecursiveAliases: an alias inside its own anchor is a positioned
// finding, never an endless expansion (found by FuzzParse).
func TestRecursiveAliases(t *testing.T) {
	for _, src := range []string{"a: &x\n  b: *x\n", "s: &d\n  <<: *d\n  e: 1\n", "- &l [*l]\n"} {
		_, fs := Parse("f.yml", []byte(src))
		if len(fs) == 0 || !strings.Contains(fs[0].Message, "inside its own anchor") {
			t.Errorf("%q: %v", src, fs)
		}
	}
}

// TestParse_SlicesOwnTheirAppends: mappings and sequences share the
// parser's chunks, so appending to one (as later stages do) must not write
// over the next one's pairs or items.
func TestParse_SlicesOwnTheirAppends(t *testing.T) {
	n, fs := Parse("s.yml", []byte("a: {x: 1}\nb: {y: 2}\nc: [1]\nd: [2]\n"))
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	a, c := n.Get("a"), n.Get("c")
	a.Pairs = append(a.Pairs, node.Pair{Key: node.NewString("z", a.Range), Value: node.NewNull(a.Range)})
	c.Items = append(c.Items, node.NewNull(c.Range))
	if got := n.Get("b").Stringify(); got != `{"y":2}` {
		t.Errorf("b = %s after an append to a, want {\"y\":2}", got)
	}
	if got := n.Get("d").Stringify(); got != `[2]` {
		t.Errorf("d = %s after an append to c, want [2]", got)
	}
}

// TestPlainStringSparesOnlyStrings: the first-byte test that skips
// resolvePlain passes only scalars that it resolves to their own text.
func TestPlainStringSparesOnlyStrings(t *testing.T) {
	tails := []string{"", "ull", "ULL", "rue", "RUE", "alse", "ALSE", "1", "x1F", "o17", "b1", "5", "inf", "Inf", "nan", ".5", "e3",
		"001-01-02", "001-1-2 3:04:05", "a", "_1"}
	for c := range 256 {
		for _, tail := range tails {
			s := string(rune(c)) + tail
			if c >= 0x80 {
				s = string([]byte{byte(c)}) + tail
			}
			if !plainString(s) {
				continue
			}
			if n := resolvePlain(s, diag.Range{}); n.Kind != node.String || n.Str != s {
				t.Errorf("%q: plainString, but resolvePlain makes it %s %s", s, n.Kind, n.Stringify())
			}
		}
	}
}
