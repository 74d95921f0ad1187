package yamlsrc

import (
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
)

// TestTagsAsJSYAML pins explicit tags and number edge cases to what
// js-yaml 4.3.2 with @serverless/utils/cloudformation-schema (Serverless
// v3's reader) does, recorded with node: the comment is js-yaml's result.
// A want starting "error:" is a finding at line 1 whose message contains
// the rest.
func TestTagsAsJSYAML(t *testing.T) {
	tests := []struct{ src, want string }{
		// Unknown tags: js-yaml throws "unknown tag"; the value never
		// becomes the tagged text (it was "ls").
		{"a: !!python/object:os.system ls", "error:1:4:unknown tag !!python/object:os.system"},                 // ERROR unknown tag
		{"a: !!python/object/apply:os.system [ls]", "error:1:4:unknown tag !!python/object/apply:os.system"},   // ERROR unknown tag
		{"a: !!python/name:os.system {}", "error:1:4:unknown tag !!python/name:os.system"},                     // ERROR unknown tag
		{"a: !<tag:yaml.org,2002:python/none> x", "error:1:4:unknown tag !!python/none"},                       // ERROR unknown tag
		{"a: !!foo x", "error:1:4:unknown tag !!foo"},                                                          // ERROR unknown tag
		{"%TAG !e! tag:example.com,2000:\n---\na: !e!foo x", "error:3:4:unknown tag tag:example.com,2000:foo"}, // ERROR unknown tag
		{"!!python/object:x k: 1", "error:1:1:unknown tag !!python/object:x"},                                  // ERROR unknown tag (a key)
		// !!str
		{"a: !!str 12", `"12"`},                    // "12"
		{"a: !!str", `""`},                         // ""
		{"a: !<tag:yaml.org,2002:str> 12", `"12"`}, // "12"
		{"a: !!str {x: 1}", "error:1:4:the tag !!str does not apply to a mapping"}, // ERROR unknown tag
		{"a: ! 12", `"12"`}, // "12": the non-specific tag makes a string
		// !!int: YAML 1.2 core, no underscores, finite.
		{"a: !!int 12", "12"},                                         // 12
		{`a: !!int "12"`, "12"},                                       // 12
		{"a: !!int 0x1F", "31"},                                       // 31
		{"a: !!int -0o17", "-15"},                                     // -15
		{"a: !!int 012", "12"},                                        // 12
		{"a: !!int 99999999999999999999999", "1e+23"},                 // 1e+23
		{"a: !!int abc", `error:1:4:cannot read "abc" as !!int`},      // ERROR cannot resolve
		{"a: !!int 1_000", `error:1:4:cannot read "1_000" as !!int`},  // ERROR cannot resolve
		{"a: !!int 1.5", `error:1:4:cannot read "1.5" as !!int`},      // ERROR cannot resolve
		{"a: !!int", "error:1:4:cannot read an empty value as !!int"}, // ERROR cannot resolve
		// !!float
		{"a: !!float 1.5", "1.5"},         // 1.5
		{"a: !!float 1", "1"},             // 1
		{"a: !!float .5", "0.5"},          // 0.5
		{"a: !!float -.INF", "-Infinity"}, // -Infinity
		{"a: !!float 1e99999", `error:1:4:cannot read "1e99999" as !!float`}, // ERROR cannot resolve
		{"a: !!float 1_000.5", `error:1:4:cannot read "1_000.5" as !!float`}, // ERROR cannot resolve
		// !!bool: YAML 1.2 core, so yes and on are not booleans.
		{"a: !!bool true", "true"},                                      // true
		{`a: !!bool "False"`, "false"},                                  // false
		{"a: !!bool yes", `error:1:4:cannot read "yes" as !!bool`},      // ERROR cannot resolve
		{"a: !!bool on", `error:1:4:cannot read "on" as !!bool`},        // ERROR cannot resolve
		{"a: !!bool", "error:1:4:cannot read an empty value as !!bool"}, // ERROR cannot resolve
		// !!null
		{"a: !!null", "null"},                                  // null
		{"a: !!null ~", "null"},                                // null
		{"a: !!null Null", "null"},                             // null
		{`a: !!null ""`, `error:1:4:cannot read "" as !!null`}, // ERROR cannot resolve
		{"a: !!null x", `error:1:4:cannot read "x" as !!null`}, // ERROR cannot resolve
		// Collections
		{"a: !!map {x: 1}", `{"x":1}`}, // {"x":1}
		{"a: !!map", "{}"},             // {}
		{"a: !!map [1]", "error:1:4:the tag !!map does not apply to a sequence"}, // ERROR unknown tag
		{"a: !!seq [1]", "[1]"}, // [1]
		{"a: !!seq", "[]"},      // []
		{"a: !!seq {x: 1}", "error:1:4:the tag !!seq does not apply to a mapping"},   // ERROR unknown tag
		{"a: !!omap [{x: 1}, {y: 2}]", `[{"x":1},{"y":2}]`},                          // [{"x":1},{"y":2}]
		{"a: !!omap [{x: 1}, {x: 2}]", "error:1:4:cannot read this array as !!omap"}, // ERROR cannot resolve
		{"a: !!omap {x: 1}", "error:1:4:the tag !!omap does not apply to a mapping"}, // ERROR unknown tag
		{"a: !!pairs [{x: 1}, {x: 2}]", `[["x",1],["x",2]]`},                         // [["x",1],["x",2]]
		{"a: !!pairs [{x: 1, y: 2}]", "error:1:4:cannot read this array as !!pairs"}, // ERROR cannot resolve
		{"a: !!set {x: null, y: ~}", `{"x":null,"y":null}`},                          // {"x":null,"y":null}
		{"a: !!set {x: 1}", "error:1:4:cannot read this object as !!set"},            // ERROR cannot resolve
		{"a: !!set [1]", "error:1:4:the tag !!set does not apply to a sequence"},     // ERROR unknown tag
		// !!binary is a Uint8Array: an object of bytes to JSON.
		{"a: !!binary aGVsbG8=", `{"0":104,"1":101,"2":108,"3":108,"4":111}`},          // {"0":104,"1":101,"2":108,"3":108,"4":111}
		{"a: !!binary |\n  aGVs\n  bG8=", `{"0":104,"1":101,"2":108,"3":108,"4":111}`}, // same
		{"a: !!binary aGVsbG8", `error:1:4:cannot read "aGVsbG8" as !!binary`},         // ERROR cannot resolve
		{`a: !!binary "!!!"`, `error:1:4:cannot read "!!!" as !!binary`},               // ERROR cannot resolve
		// !!timestamp is a Date: an ISO string to JSON.
		{"a: !!timestamp 2024-01-01", `"2024-01-01T00:00:00.000Z"`},               // "2024-01-01T00:00:00.000Z"
		{`a: !!timestamp "2024-01-01 10:00:00 +2"`, `"2024-01-01T08:00:00.000Z"`}, // "2024-01-01T08:00:00.000Z"
		{"a: !!timestamp abc", `error:1:4:cannot read "abc" as !!timestamp`},      // ERROR cannot resolve
		// !!merge
		{"a: !!merge <<", `"<<"`},                                // "<<"
		{"a: !!merge x", `error:1:4:cannot read "x" as !!merge`}, // ERROR cannot resolve
		{"a:\n  ? !!merge <<\n  : {x: 1}", `{"<<":{"x":1}}`},     // {"<<":{"x":1}}: an explicit merge tag is a plain key
		// Numbers too large for a double: js-yaml 4.2+ keeps them strings
		// (4.1 made 1e99999 Infinity); .inf is Infinity.
		{"a: 1e99999", `"1e99999"`},   // "1e99999"
		{"a: -1e99999", `"-1e99999"`}, // "-1e99999"
		{"a: 1e400", `"1e400"`},       // "1e400"
		{"a: " + strings.Repeat("9", 400), `"` + strings.Repeat("9", 400) + `"`},     // the same 400 nines, a string
		{"a: 0x" + strings.Repeat("F", 300), `"0x` + strings.Repeat("F", 300) + `"`}, // a string (int not finite, no float)
		{"a: .inf", "Infinity"},   // Infinity
		{"a: -.inf", "-Infinity"}, // -Infinity
		{"a: 1e-99999", "0"},      // 0
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			n, fs := Parse("f.yml", []byte(tt.src))
			if want, ok := strings.CutPrefix(tt.want, "error:"); ok {
				at, msg, _ := strings.Cut(want, ":")
				at2, msg, _ := strings.Cut(msg, ":")
				if len(fs) != 1 || !strings.HasPrefix(fs[0].String(), "f.yml:"+at+":"+at2+": "+msg) {
					t.Errorf("got findings %v, want one at %s:%s containing %q", fs, at, at2, msg)
				}
				if strings.Contains(n.Stringify(), "os.system") || strings.Contains(n.Stringify(), `"ls"`) {
					t.Errorf("the refused value came through: %s", n.Stringify())
				}
				return
			}
			if len(fs) > 0 {
				t.Fatalf("findings: %v", fs)
			}
			v := n
			if n.IsMap() && len(n.Pairs) == 1 && n.Pairs[0].Key.Str == "a" {
				v = n.Pairs[0].Value
			}
			got := v.Stringify()
			if v.Kind == node.Number {
				got = node.FormatNumber(v.Num)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestEncodingFindings: Serverless reads the file as UTF-8 and js-yaml
// refuses non-printable characters; yaml.v3 reported these at 1:1 and
// decoded UTF-16 itself.
func TestEncodingFindings(t *testing.T) {
	utf16le := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			b.WriteByte(c)
			b.WriteByte(0)
		}
		return b.String()
	}
	utf16be := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			b.WriteByte(0)
			b.WriteByte(c)
		}
		return b.String()
	}
	tests := []struct{ name, src, want string }{
		{"UTF-16 LE with a BOM", "\xff\xfe" + utf16le("service: s\n"), "f.yml:1:1: the file is not UTF-8 (it is UTF-16 little-endian, with a byte order mark)"},
		{"UTF-16 BE with a BOM", "\xfe\xff" + utf16be("service: s\n"), "f.yml:1:1: the file is not UTF-8 (it is UTF-16 big-endian, with a byte order mark)"},
		{"UTF-16 LE without a BOM", utf16le("service: s\n"), "f.yml:1:1: the file is not UTF-8 (it is UTF-16 little-endian)"},
		{"UTF-16 BE without a BOM", utf16be("service: s\n"), "f.yml:1:1: the file is not UTF-8 (it is UTF-16 big-endian)"},
		{"UTF-32 LE with a BOM", "\xff\xfe\x00\x00s\x00\x00\x00", "f.yml:1:1: the file is not UTF-8 (it is UTF-32 little-endian, with a byte order mark)"},
		{"invalid UTF-8 at its column", "a: 1\nb: 2\nc: é\xffx\n", "f.yml:3:5: the file is not valid UTF-8 (byte 0xFF)"},
		{"a truncated sequence", "a: 1\nb: \xe2\x82\n", "f.yml:2:4: the file is not valid UTF-8 (byte 0xE2)"},
		{"a control character", "a: 1\nb: \"x\x1b[31m\"\n", "f.yml:2:6: the file holds the control character U+001B"},
		{"a NUL in a UTF-8 file", "a: 1\nb: x\x00\n", "f.yml:2:5: the file holds the control character U+0000"},
		{"DEL", "a: 1\n# \x7f\n", "f.yml:2:3: the file holds the control character U+007F"},
		{"a C1 control", "a: \u009b\n", "f.yml:1:4: the file holds the control character U+009B"},
		{"CRLF lines count", "a: 1\r\nb: \x01\r\n", "f.yml:2:4: the file holds the control character U+0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fs := Parse("f.yml", []byte(tt.src))
			if n != nil || len(fs) != 1 || !strings.HasPrefix(fs[0].String(), tt.want) {
				t.Errorf("got %v %v, want one finding starting %q", n.Stringify(), fs, tt.want)
			}
		})
	}
	for _, ok := range []string{"\xef\xbb\xbfa: 1\n", "a: \"tab\there\"\nb: é\u0085\n", "a: 1\r\n"} {
		if _, fs := Parse("f.yml", []byte(ok)); len(fs) > 0 {
			t.Errorf("%q: %v", ok, fs)
		}
	}
}
