package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAction_ReportSaysWhatHappened: the summary opens with the verdict
// against fail-on and says why deploy: auto did nothing; a service without
// stream events is one log line and one summary row, with no finding (so
// no SARIF result or annotation); the services output counts notices; and
// the artifact warning says where each kind of file is.
func TestAction_ReportSaysWhatHappened(t *testing.T) {
	t.Parallel()
	// GIVEN a service with errors, a clean one, one without stream events, and a push
	// to a branch that is not the default one
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{
		"services/orders/serverless.yml": caseConfig(t, "60-warn-out-of-range"),
		"services/clean/serverless.yml":  caseConfig(t, "01-dynamodb-literal-minimal"),
		"services/legacy/serverless.yml": "service: legacy\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: h.handler\n",
		"event.json":                     `{"repository": {"default_branch": "main"}}`,
	})
	env := runnerEnv(t, ws)
	env["GITHUB_EVENT_NAME"], env["GITHUB_EVENT_PATH"], env["GITHUB_REF"] = "push", filepath.Join(ws, "event.json"), "refs/heads/feature"
	input(env, "config", "services/*/serverless.yml")
	input(env, "deploy", "auto")
	input(env, "fail-on", "warning")

	// WHEN
	r := run(t, ws, env, "action")

	// THEN
	sum := readFile(t, env["GITHUB_STEP_SUMMARY"])
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	if r.code != 1 || out["errors"] == "0" {
		t.Fatalf("exit %d, errors %q, want 1 and some\n%s", r.code, out["errors"], r.stdout)
	}
	wantSummary := []string{
		"## stream-events\n\n❌ **" + out["errors"] + " errors fail this step** (fail-on: warning)\n\n",
		"**Not deployed** (deploy: auto): event `push`, ref `refs/heads/feature`. auto previews pull requests and executes pushes to the default branch `main`.",
		"### Services without stream events",
		"| legacy | [services/legacy/serverless.yml](",
	}
	for _, want := range wantSummary {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(sum, "### legacy") || strings.Contains(r.stdout, "::group::services/legacy") {
		t.Errorf("the service without stream events has a section or a log group")
	}
	if !strings.Contains(r.stdout, "\nservices/legacy/serverless.yml: service legacy, stage dev: no stream events, so no template\n") ||
		strings.Contains(r.stdout, "no stream events; no template is written") {
		t.Errorf("want one log line and no annotation for the service without stream events:\n%s", r.stdout)
	}
	if sarif := readFile(t, filepath.Join(ws, out["sarif-file"])); strings.Contains(sarif, "services/legacy") {
		t.Errorf("SARIF has a result for the service without stream events")
	}
	var svcs []serviceOutput
	if err := json.Unmarshal([]byte(out["services"]), &svcs); err != nil || len(svcs) != 3 || !strings.Contains(out["services"], `"notices":`) {
		t.Fatalf("services = %s (%v)", out["services"], err)
	}
	if n := svcs[0].Notices + svcs[1].Notices + svcs[2].Notices; n == 0 || strconv.Itoa(n) != out["notices"] {
		t.Errorf("services %s, notices %q: want the warn-out-of-range notices counted", out["services"], out["notices"])
	}
	const artifactWarning = "not uploaded: .*. The templates are in .stream-events/templates; the findings are in .stream-events/results.sarif; use actions/upload-artifact"
	if !regexp.MustCompile(artifactWarning).MatchString(r.stdout) {
		t.Errorf("stdout lacks %q:\n%s", artifactWarning, r.stdout)
	}
	if t.Failed() {
		t.Logf("summary:\n%s", sum)
	}
}
