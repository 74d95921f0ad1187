package vars

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// TestResolveMatchesServerless resolves each config of
// testdata/diff/configs.json and compares the result and the error
// messages with what the real Serverless v3.40.0 resolver produced for it
// (testdata/diff/golden.json, made by testdata/diff/gen_golden.js with the
// env, file, opt, self, strToBool and sls sources and no CLI options).
func TestResolveMatchesServerless(t *testing.T) {
	data, err := os.ReadFile("testdata/diff/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Input  json.RawMessage `json:"input"`
		Output json.RawMessage `json:"output"`
		Errors []string        `json:"errors"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": "/home/u", "EMPTY": "", "FLAG": "false", "NUM": "42", "LOOP": "${env:LOOP}", "SELFREF": "${self:custom.a}"}
	for i, c := range cases {
		root, fs := yamlsrc.Parse("serverless.yml", c.Input)
		if fs.HasErrors() {
			t.Fatalf("case %d: %v", i, fs)
		}
		dir := filepath.Join("testdata", "diff")
		res := Resolve(root, Options{
			ServiceDir: dir,
			ReadFile:   os.ReadFile,
			Getenv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		})
		var want any
		_ = json.Unmarshal(c.Output, &want)
		wantJSON, _ := json.Marshal(want)
		var got any
		_ = json.Unmarshal([]byte(res.Root.Stringify()), &got)
		gotJSON, _ := json.Marshal(got)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("case %d %s:\n got %s\nwant %s", i, c.Input, gotJSON, wantJSON)
		}
		if g, w := errorSet(res.Findings), normErrors(c.Errors); strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("case %d %s errors:\n got %q\nwant %q", i, c.Input, g, w)
		}
	}
}

func errorSet(fs diag.Findings) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == diag.Error && f.Rule != yamlsrc.Rule {
			out = append(out, f.Message)
		}
	}
	return normErrors(out)
}

// normErrors keeps what both implementations word alike: YAML parser
// messages and the pair a cycle is named by differ.
func normErrors(msgs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range msgs {
		if i := strings.Index(m, "Cannot parse "); i >= 0 {
			m = m[:i] + "Cannot parse"
		}
		if i := strings.Index(m, "Circular reference"); i >= 0 {
			m = "Circular reference"
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}
