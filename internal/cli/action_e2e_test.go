package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/exit"
)

// caseConfig reads a serverless.yml from the repository's golden cases.
func caseConfig(t testing.TB, name string) string {
	t.Helper()
	return readFile(t, filepath.Join(moduleRoot(t), "testdata", "cases", name, "serverless.yml"))
}

// e2eWorkspace has two clean services, two with nine errors each, and a
// serverless.yml under node_modules that a glob must skip.
func e2eWorkspace(t *testing.T) string {
	ws := t.TempDir()
	bad := caseConfig(t, "60-warn-out-of-range")
	writeFiles(t, ws, map[string]string{
		"services/orders/serverless.yml":           caseConfig(t, "01-dynamodb-literal-minimal"),
		"services/telemetry/serverless.yml":        caseConfig(t, "04-kinesis-all-options"),
		"services/lenient-a/serverless.yml":        bad,
		"services/lenient-b/serverless.yml":        strings.Replace(bad, "service: lenient", "service: lenient-b", 1),
		"services/node_modules/dep/serverless.yml": bad,
		"event.json": `{"pull_request": {"number": 7}, "repository": {"default_branch": "main"}}`,
		"services/orders/node_modules/x/serverless.yaml": bad,
	})
	return ws
}

func TestAction_EndToEnd(t *testing.T) {
	t.Parallel()
	// GIVEN the runner's environment, an artifact service and four services
	ws := e2eWorkspace(t)
	srv := newArtifactServer(t)
	env := runnerEnv(t, ws)
	env["GITHUB_EVENT_NAME"], env["GITHUB_EVENT_PATH"] = "pull_request", filepath.Join(ws, "event.json")
	env["ACTIONS_RESULTS_URL"], env["ACTIONS_RUNTIME_TOKEN"] = srv.URL, srv.Token
	env["GITHUB_RETENTION_DAYS"] = "10"
	input(env, "config", "services/*/serverless.yml")
	input(env, "artifact-name", "streams-e2e")
	input(env, "artifact-retention-days", "30")
	input(env, "fail-on", "error")

	// WHEN the binary runs as the container's entrypoint does
	binary(t) // build first: the timing is the run's own
	start := time.Now()
	r := run(t, ws, env, "action")

	// THEN the error findings fail the step
	if r.code != exit.Findings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exit.Findings, r.stdout, r.stderr)
	}
	t.Logf("4 services end to end in %s", time.Since(start))
	checkCommands(t, r.stdout)
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	checkOutputs(t, ws, out)
	checkSummary(t, readFile(t, env["GITHUB_STEP_SUMMARY"]), out["artifact-url"])
	a, ok := srv.Artifact("streams-e2e")
	if !ok || !a.Finalized {
		t.Fatalf("artifact streams-e2e not uploaded: %+v", a)
	}
	if days := time.Until(a.ExpiresAt).Hours() / 24; days < 9.9 || days > 10.1 {
		t.Errorf("artifact expires in %.1f days, want 10 (30 clamped to GITHUB_RETENTION_DAYS)", days)
	}
	checkZip(t, a.Data)
}

// checkCommands checks the workflow commands in the log.
func checkCommands(t *testing.T, stdout string) {
	t.Helper()
	lines := strings.Split(stdout, "\n")
	count := func(re string) int {
		n, rx := 0, regexp.MustCompile(re)
		for _, l := range lines {
			if rx.MatchString(l) {
				n++
			}
		}
		return n
	}
	checks := []struct {
		what, re string
		want     int
	}{
		{"one group per service", `^::group::services/`, 4},
		{"groups closed", `^::endgroup::$`, 4},
		{"ten error annotations, repository-relative", `^::error file=services/lenient-[ab]/serverless.yml,line=\d+,`, 10},
		{"no other error annotation", `^::error`, 10},
		{"the notice saying how many more", `^::notice title=stream-events::8 more findings`, 1},
		{"the upload URL signature masked", `^::add-mask::\S+$`, 1},
		{"the retention clamped", `^::warning::artifact-retention-days 30 .* using 10$`, 1},
		{"snippets fenced off", `^::stop-commands::[0-9a-f]{32}$`, 3},
		{"nothing from node_modules", `node_modules`, 0},
	}
	for _, c := range checks {
		if got := count(c.re); got != c.want {
			t.Errorf("%s: %d lines match %s, want %d", c.what, got, c.re, c.want)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s", stdout)
	}
}

func checkOutputs(t *testing.T, ws string, out map[string]string) {
	t.Helper()
	wantPaths := ".stream-events/templates/services/orders/serverless.template.json\n.stream-events/templates/services/telemetry/serverless.template.json"
	if out["template-paths"] != wantPaths {
		t.Errorf("template-paths = %q, want %q", out["template-paths"], wantPaths)
	}
	for _, p := range strings.Split(out["template-paths"], "\n") {
		var tpl map[string]any
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(ws, p))), &tpl); err != nil || tpl["Resources"] == nil {
			t.Errorf("template %s: %v", p, err)
		}
	}
	if out["errors"] != "18" || out["warnings"] != "0" || out["notices"] != "3" {
		t.Errorf("errors %q warnings %q notices %q, want 18, 0 and 3", out["errors"], out["warnings"], out["notices"])
	}
	if out["sarif-file"] != ".stream-events/results.sarif" {
		t.Errorf("sarif-file = %q", out["sarif-file"])
	}
	checkSARIF(t, readFile(t, filepath.Join(ws, out["sarif-file"])), 21)
	if !regexp.MustCompile(`^https://github.com/acme/shop/actions/runs/4242/artifacts/\d+$`).MatchString(out["artifact-url"]) ||
		!strings.HasSuffix(out["artifact-url"], "/"+out["artifact-id"]) {
		t.Errorf("artifact-id %q, artifact-url %q", out["artifact-id"], out["artifact-url"])
	}
	var svcs []serviceOutput
	if err := json.Unmarshal([]byte(out["services"]), &svcs); err != nil || len(svcs) != 4 {
		t.Fatalf("services = %s (%v)", out["services"], err)
	}
	if s := svcs[0]; s.Config != "services/lenient-a/serverless.yml" || s.Service != "lenient" || s.Errors != 9 || s.Template != "" {
		t.Errorf("services[0] = %+v", s)
	}
	if s := svcs[2]; s.Service != "orders" || s.Errors != 0 || s.Stage != "dev" || s.Region != "us-east-1" {
		t.Errorf("services[2] = %+v", s)
	}
	if n := svcs[0].Notices + svcs[1].Notices + svcs[2].Notices + svcs[3].Notices; strconv.Itoa(n) != out["notices"] {
		t.Errorf("the services' notices add up to %d, the notices output is %q", n, out["notices"])
	}
}

// checkSARIF checks that a SARIF log holds n results with relative paths.
func checkSARIF(t *testing.T, data string, n int) {
	t.Helper()
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(data), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("SARIF: %v, version %q", err, log.Version)
	}
	if got := len(log.Runs[0].Results); got != n {
		t.Errorf("SARIF has %d results, want %d", got, n)
	}
	for _, r := range log.Runs[0].Results {
		if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "services/") {
			t.Errorf("SARIF uri %q is not repository-relative", uri)
		}
	}
}

func checkSummary(t *testing.T, sum, artifactURL string) {
	t.Helper()
	for _, want := range []string{
		"### orders", "### telemetry", "### lenient", "Compiled resources",
		"ProcessOrdersEventSourceMappingDynamodbOrders",
		"https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/services/lenient-a/serverless.yml#L13",
		"Artifact: [streams-e2e](" + artifactURL + ")",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if len(sum) > 1<<20 {
		t.Errorf("summary is %d bytes, over 1 MiB", len(sum))
	}
	if t.Failed() {
		t.Logf("summary:\n%s", sum)
	}
}

func checkZip(t *testing.T, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("artifact is not a zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "findings.sarif" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			checkSARIF(t, string(b), 21)
		}
	}
	sort.Strings(names)
	want := []string{"findings.json", "findings.sarif", "summary.md",
		"templates/services/orders/serverless.template.json", "templates/services/telemetry/serverless.template.json"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("zip entries %q, want %q", names, want)
	}
}

func TestAction_LocalRunWithoutRunnerFiles(t *testing.T) {
	t.Parallel()
	// GIVEN only inputs, as a developer sets them locally
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": caseConfig(t, "01-dynamodb-literal-minimal")})
	env := map[string]string{"HOME": ws, "AWS_EC2_METADATA_DISABLED": "true"}
	input(env, "sarif-file", "")
	// WHEN
	r := run(t, ws, env, "action")
	// THEN it compiles, warns that the artifact service is missing, and succeeds
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "::warning::artifact stream-events-template not uploaded") ||
		!strings.Contains(r.stdout, "GITHUB_OUTPUT is not set") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(ws, ".stream-events/templates/serverless.template.json")); err != nil {
		t.Error(err)
	}
}

func TestAction_RefusesPathsOutsideTheWorkspace(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": caseConfig(t, "01-dynamodb-literal-minimal")})
	if err := os.Symlink(t.TempDir(), filepath.Join(ws, "link")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ input, value string }{
		{"template-dir", "../escape"},
		{"template-dir", "/etc/stream-events"},
		{"sarif-file", "a/../../x.sarif"},
		{"sarif-file", "link/x.sarif"},
		{"working-directory", "/"},
	} {
		env := runnerEnv(t, ws)
		input(env, c.input, c.value)
		r := run(t, ws, env, "action")
		if r.code != exit.Usage || !strings.Contains(r.stdout, "::error::input "+c.input+": ") || !strings.Contains(r.stdout, "is outside the workspace") {
			t.Errorf("%s=%q: exit %d\n%s", c.input, c.value, r.code, r.stdout)
		}
	}
}

// serviceOutput is one entry of the services output, as a workflow reads it.
type serviceOutput struct {
	Config   string `json:"config"`
	Service  string `json:"service"`
	Stage    string `json:"stage"`
	Region   string `json:"region"`
	Template string `json:"template,omitempty"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Notices  int    `json:"notices"`
}
