package lint

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

var update = flag.Bool("update", false, "rewrite testdata/err/*.out")

const testdata = "testdata"

// testNow is the clock of every test: timestamps after it are "future".
var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// lintFile parses path as serverless.yml and lints it.
func lintFile(t testing.TB, path string) diag.Findings {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, fs := yamlsrc.Parse("serverless.yml", data)
	if fs.HasErrors() {
		t.Fatalf("%s does not parse: %v", path, fs)
	}
	return Lint(root, Options{Now: testNow})
}

func format(fs diag.Findings) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLintOK(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testdata, "ok", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no ok cases")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if got := lintFile(t, f); len(got) > 0 {
				t.Errorf("want no findings, got:\n%s", format(got))
			}
		})
	}
}

func TestLintErr(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testdata, "err", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no err cases")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := format(lintFile(t, f))
			out := strings.TrimSuffix(f, ".yml") + ".out"
			if *update {
				if err := os.WriteFile(out, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got == "" {
				t.Error("an err case must have findings")
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("findings differ (-want +got):\n%s", d)
			}
		})
	}
}

// TestEveryRuleHasCases requires ok/<id>.yml and err/<id>.yml for each
// rule, the err case reporting the rule and the ok case (linted clean by
// TestLintOK) exercising the same feature.
func TestEveryRuleHasCases(t *testing.T) {
	for _, r := range Rules() {
		if _, err := os.Stat(filepath.Join(testdata, "ok", r.ID+".yml")); err != nil {
			t.Errorf("rule %s has no ok case: %v", r.ID, err)
		}
		out, err := os.ReadFile(filepath.Join(testdata, "err", r.ID+".out"))
		if err != nil {
			t.Errorf("rule %s has no err case: %v", r.ID, err)
			continue
		}
		if !strings.Contains(string(out), "["+r.ID+"]") {
			t.Errorf("err/%s.out does not report rule %s", r.ID, r.ID)
		}
	}
}

func TestRuleMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Severity < diag.Error || r.Severity > diag.Notice {
			t.Errorf("%s: bad severity %d", r.ID, r.Severity)
		}
		if !strings.HasSuffix(r.Description, ".") {
			t.Errorf("%s: description must be a sentence", r.ID)
		}
	}
}

// TestFindingsAreWellFormed checks every finding of the err cases: a
// known rule with its severity, a lowercase message without a trailing
// period, and a range that has an end.
func TestFindingsAreWellFormed(t *testing.T) {
	sev := map[string]diag.Severity{}
	for _, r := range Rules() {
		sev[r.ID] = r.Severity
	}
	files, _ := filepath.Glob(filepath.Join(testdata, "err", "*.yml"))
	for _, f := range files {
		for _, fd := range lintFile(t, f) {
			// A producer may report a finding lower than its rule
			// (schema-setting: a warning where Serverless only warns).
			if s, ok := sev[fd.Rule]; !ok || fd.Severity < s {
				t.Errorf("%s: %s has rule %q severity %v", f, fd, fd.Rule, fd.Severity)
			}
			m := fd.Message
			if m == "" || strings.HasSuffix(m, ".") || strings.ToLower(m[:1]) != m[:1] {
				t.Errorf("%s: message style: %q", f, m)
			}
			if fd.Range.End.IsZero() {
				t.Errorf("%s: %s has no end position", f, fd)
			}
		}
	}
}

func TestArnField(t *testing.T) {
	for _, s := range []string{"", ":", "a", "a:b", "a:b:", "a:b:c", "arn:aws:kinesis:eu-west-1:1:stream/s", "::::", "a:b:c:d"} {
		parts := strings.Split(s, ":")
		for i := range 4 {
			got, ok := arnField(s, i)
			if ok != (i < len(parts)) || ok && got != parts[i] {
				t.Errorf("arnField(%q, %d) = %q, %v; want field of %q", s, i, got, ok, parts)
			}
		}
	}
}

// TestFunctionName holds functionName to the pattern it replaces.
func TestFunctionName(t *testing.T) {
	re := regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
	inputs := []string{"", "a", "fn-1_x", "a b", "é", "a\n", "-", "_"}
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"b")
	}
	for _, s := range inputs {
		if got, want := functionName(s), re.MatchString(s); got != want {
			t.Errorf("functionName(%q) = %v, want %v", s, got, want)
		}
	}
}
