package action

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

// TestConfigPath_ControlCharacters: a config directory whose name holds a
// newline must not forge lines in template-paths (issue 8, item 7); that
// service is refused with an error finding, the others go on.
func TestConfigPath_ControlCharacters(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"a\n/etc/cron.d/evil", "b\r/etc/evil", "c\x1b[31m"} {
		h := newHostile(t)
		orders := caseConfig(t, "01-dynamodb-literal-minimal")
		h.write(t, "svc/good/serverless.yml", orders)
		if err := os.MkdirAll(filepath.Join(h.ws, "svc", dir), 0o755); err != nil {
			t.Skip("this file system refuses the name:", err)
		}
		h.write(t, "svc/"+dir+"/serverless.yml", orders)
		h.env["INPUT_CONFIG"] = "svc/**/serverless.yml"

		code, log := h.run(t)

		if code != exit.Findings {
			t.Errorf("%q: exit %d, want %d\n%s", dir, code, exit.Findings, log)
		}
		out := h.outputs(t)
		if got := out["template-paths"]; got != ".stream-events/templates/svc/good/serverless.template.json" {
			t.Errorf("%q: template-paths = %q", dir, got)
		}
		if out["errors"] != "1" {
			t.Errorf("%q: errors = %q", dir, out["errors"])
		}
		if !strings.Contains(log, "holds a control character") || !strings.Contains(log, "[config-file]") {
			t.Errorf("%q: no finding in\n%s", dir, log)
		}
		if _, err := os.Lstat(filepath.Join(h.ws, ".stream-events/templates/svc", dir)); err == nil {
			t.Errorf("%q: its template was written", dir)
		}
	}
}

// TestConfigGlob_OtherFiles: a glob matching files that are no Serverless
// config (issue 8, item 8) gives a warning for each, not a failed step; a
// glob that matches nothing usable is still an input error.
func TestConfigGlob_OtherFiles(t *testing.T) {
	t.Parallel()
	orders := caseConfig(t, "01-dynamodb-literal-minimal")
	h := newHostile(t)
	h.write(t, "serverless.yml", orders)
	h.write(t, "README.md", "# shop\n")
	h.write(t, "handler.js", "exports.main = async () => {}\n")
	h.write(t, "bin/tool", "\x7fELF\x00\x01\x02")
	h.write(t, "other/serverless.js", "module.exports = {}\n")
	h.write(t, "empty-dir/.keep", "")
	h.env["INPUT_CONFIG"] = "**/*"

	code, log := h.run(t)

	if code != exit.Findings { // the serverless.js is an error
		t.Errorf("exit %d, want %d\n%s", code, exit.Findings, log)
	}
	out := h.outputs(t)
	if out["template-paths"] != ".stream-events/templates/serverless.template.json" {
		t.Errorf("template-paths = %q", out["template-paths"])
	}
	if out["errors"] != "1" || out["warnings"] != "4" {
		t.Errorf("errors %s, warnings %s, want 1 and 4 (README.md, handler.js, bin/tool, empty-dir/.keep)\n%s", out["errors"], out["warnings"], log)
	}
	var svcs []serviceOutput
	if err := json.Unmarshal([]byte(out["services"]), &svcs); err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Config == "README.md" && s.Warnings != 1 {
			t.Errorf("README.md: %+v", s)
		}
	}
	if strings.Contains(log, "--config") {
		t.Errorf("the log speaks of --config:\n%s", log)
	}

	// A glob with nothing usable, and a plain path to another file.
	for _, config := range []string{"*.md", "README.md"} {
		h.env["INPUT_CONFIG"] = config
		if code, log := h.run(t); code != exit.Usage || !strings.Contains(log, "::error::input config: ") {
			t.Errorf("config %q: exit %d\n%s", config, code, log)
		}
	}
}

// TestInputs_DuplicateKeys: a key given twice in a mapping input is a
// usage error naming the input and the key (issue 8, item 11); yaml.v3
// alone keeps the last one.
func TestInputs_DuplicateKeys(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"params", "options", "parameters", "tags"} {
		h := newHostile(t)
		h.write(t, "serverless.yml", caseConfig(t, "01-dynamodb-literal-minimal"))
		h.env["INPUT_"+strings.ToUpper(name)] = "a: 1\nb: 2\na: 3\n"
		code, log := h.run(t)
		want := `::error::input ` + name + `: line 3: key "a" is given twice (first on line 1)`
		if code != exit.Usage || !strings.Contains(log, want) {
			t.Errorf("%s: exit %d, want %d and %q\n%s", name, code, exit.Usage, want, log)
		}
	}
}
