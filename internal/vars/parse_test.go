package vars

import (
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
)

// jsShape renders parsed variables in the shape parse.js returns, so they
// can be compared with testdata/parse_golden.json, which the real
// Serverless v3.40.0 parser produced (testdata/gen_parse.js).
func jsShape(vars []Var) any {
	if vars == nil {
		return nil
	}
	out := make([]any, len(vars))
	for i, v := range vars {
		m := map[string]any{}
		if !v.Whole {
			m["start"] = float64(utf16Index(v.srcForTest, v.Start) - utf16Index(v.srcForTest, v.ctx))
			m["end"] = float64(utf16Index(v.srcForTest, v.End) - utf16Index(v.srcForTest, v.ctx))
		}
		if v.Escape {
			m["value"] = v.Text
		} else {
			srcs := make([]any, len(v.Sources))
			for j, s := range v.Sources {
				srcs[j] = sourceShape(s, v.srcForTest)
			}
			m["sources"] = srcs
		}
		out[i] = m
	}
	return out
}

func sourceShape(s *Source, src string) any {
	m := map[string]any{}
	if s.Type == "" {
		m["value"] = litShape(s.Literal)
		return m
	}
	m["type"] = s.Type
	if s.HasParams {
		ps := make([]any, len(s.Params))
		for i, p := range s.Params {
			ps[i] = metaShape(p, src)
		}
		m["params"] = ps
	}
	if s.Address != nil {
		m["address"] = metaShape(s.Address, src)
	}
	return m
}

func metaShape(mt *Meta, src string) any {
	m := map[string]any{"value": litShape(mt.Value)}
	if mt.Vars != nil {
		for i := range mt.Vars {
			setSrc(&mt.Vars[i], src)
		}
		m["variables"] = jsShape(mt.Vars)
	}
	return m
}

func litShape(n *node.Node) any {
	switch n.Kind {
	case node.Null:
		return nil
	case node.Bool:
		return n.Bool
	case node.Number:
		if math.IsInf(n.Num, 0) || math.IsNaN(n.Num) {
			return nil
		}
		return n.Num
	}
	return n.Str
}

func setSrc(v *Var, src string) { v.srcForTest = src }

func TestParseMatchesServerless(t *testing.T) {
	data, err := os.ReadFile("testdata/parse_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Input  string          `json:"input"`
		Result json.RawMessage `json:"result"`
		Error  *string         `json:"error"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		vars, err := Parse(c.Input)
		if c.Error != nil {
			if err == nil {
				t.Errorf("Parse(%q): no error, want %q", c.Input, *c.Error)
				continue
			}
			want, got := *c.Error, err.Error()
			if strings.HasPrefix(want, "Invalid string literal") {
				// JSON.parse and encoding/json word their reasons differently.
				want, _, _ = strings.Cut(want, `": `)
				got, _, _ = strings.Cut(got, `": `)
			}
			if got != want {
				t.Errorf("Parse(%q) error:\n got %s\nwant %s", c.Input, got, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", c.Input, err)
			continue
		}
		for i := range vars {
			setSrc(&vars[i], c.Input)
		}
		var want any
		_ = json.Unmarshal(c.Result, &want)
		got := jsShape(vars)
		// Round-trip through JSON so both sides use the same types.
		b, _ := json.Marshal(got)
		var gotJSON any
		_ = json.Unmarshal(b, &gotJSON)
		if !reflect.DeepEqual(gotJSON, want) {
			t.Errorf("Parse(%q):\n got %s\nwant %s", c.Input, b, c.Result)
		}
	}
}
