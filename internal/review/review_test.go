package review

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const marker = "<!-- stream-events: ci/lint/serverless.yml -->"

func planOf(t *testing.T, name string) plan.Plan {
	t.Helper()
	read := func(file string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "plan", "testdata", name, file))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	after, fs := plan.ParseTemplate("after.json", read("after.json"))
	before, fs2 := plan.ParseTemplate("before.json", read("before.json"))
	if fs.HasErrors() || fs2.HasErrors() {
		t.Fatal(fs, fs2)
	}
	return plan.Compare(after, before)
}

func finding(sev diag.Severity, line int, rule, msg string) diag.Finding {
	return diag.Finding{Rule: rule, Severity: sev, Message: msg,
		Range: diag.Range{File: "services/orders/serverless.yml", Start: diag.Pos{Line: line, Col: 7}}}
}

func input(t *testing.T) Input {
	return Input{
		Marker: marker,
		FailOn: diag.Error,
		RunURL: "https://github.com/o/r/actions/runs/42",
		Services: []Service{
			{
				Name: "orders", Config: "services/orders/serverless.yml",
				Findings: diag.Findings{
					finding(diag.Notice, 3, "deprecated-consumer-naming", "set consumerNamingMode"),
					finding(diag.Warning, 20, "stream-batch-size", "batchSize `10001` is over <10000> @team"),
					finding(diag.Error, 12, "arn-format", "\"arn:aws:kinesis\" is not a stream ARN | [x](y)"),
				},
				Plan: planOf(t, "replace-starting-position"),
			},
			{Name: "billing", Config: "services/billing/serverless.yml", Plan: planOf(t, "remove")},
			{Name: "audit", Config: "audit/serverless.yml", PlanNote: "skipped: no AWS credentials in the job"},
		},
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/review/ -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s (-want +got):\n%s", path, d)
	}
}

func TestBody(t *testing.T) {
	body := Body(input(t))
	golden(t, "body.golden.md", body)
	if !strings.HasPrefix(body, marker+"\n") || !strings.Contains(body, "fails") {
		t.Errorf("marker or verdict missing")
	}
	if strings.Contains(body, "Note:") {
		t.Errorf("nothing should be left out")
	}
}

func TestBodyPassesBelowFailOn(t *testing.T) {
	in := input(t)
	in.Services = in.Services[2:]
	in.FailOn = diag.Warning
	if b := Body(in); !strings.Contains(b, "✅ **stream-events passes** at fail-on: warning") {
		t.Errorf("got %s", b)
	}
}

// TestBodyTruncated keeps the most severe items of every service, the
// marker, verdict and run link, and says how much it left out.
func TestBodyTruncated(t *testing.T) {
	in := input(t)
	for i := 0; i < 40; i++ {
		in.Services[1].Findings = append(in.Services[1].Findings, finding(diag.Notice, 100+i, "some-notice", fmt.Sprintf("notice number %d", i)))
	}
	in.Limit = 4000
	body := Body(in)
	golden(t, "truncated.golden.md", body)
	if len(body) > in.Limit {
		t.Errorf("body is %d bytes, over %d", len(body), in.Limit)
	}
	for _, want := range []string{marker, "arn-format", "plan-replace-conflict", "are not shown", "[Workflow run]("} {
		if !strings.Contains(body, want) {
			t.Errorf("truncated body lacks %q", want)
		}
	}
}

func TestBodyWithinGitHubLimit(t *testing.T) {
	in := input(t)
	for i := 0; i < 3000; i++ {
		in.Services[0].Findings = append(in.Services[0].Findings, finding(diag.Warning, i, "rule-é", strings.Repeat("ü", 40)))
	}
	body := Body(in)
	if n := utf8.RuneCountInString(body); n > MaxBody || len(body) > MaxBody {
		t.Errorf("body is %d characters, %d bytes", n, len(body))
	}
	if !strings.Contains(body, "are not shown") || !strings.Contains(body, "[Workflow run](") {
		t.Error("the note or the run link is missing")
	}
}

func TestClipKeepsRunesWhole(t *testing.T) {
	in := Input{Marker: marker, Services: []Service{{Name: strings.Repeat("ü", 3000)}}, Limit: 1000}
	body := Body(in)
	if len(body) > 1000 || !utf8.ValidString(body) || !strings.HasPrefix(body, marker) {
		t.Errorf("len %d, valid %v", len(body), utf8.ValidString(body))
	}
}

func TestRunLinkOnlyForWebURLs(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "https://x/a) [y](z", "", "/relative"} {
		if runLink(u) != "" {
			t.Errorf("%q was linked", u)
		}
	}
}

func TestChangeSetTakesThePlansPlace(t *testing.T) {
	in := Input{Marker: marker, FailOn: diag.Error, Services: []Service{{Name: "orders", Config: "serverless.yml",
		Plan: planOf(t, "modify-batch-size"), ChangeSet: "**Preview** of stack `orders-dev-streams` (update): 1 change(s)\n\n| a | b |\n"}}}
	body := Body(in)
	if !strings.Contains(body, "**Change set:**\n\n**Preview** of stack `orders-dev-streams` (update): 1 change(s)\n\n| a | b |\n") {
		t.Errorf("no change set in\n%s", body)
	}
	if strings.Contains(body, "**Plan:**") || strings.Contains(body, "BatchSize") {
		t.Errorf("a plan next to the change set:\n%s", body)
	}
}
