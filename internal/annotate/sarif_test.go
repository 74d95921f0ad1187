package annotate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stream-events/stream-events/internal/diag"
)

// sarifSchemaID is the "id" inside testdata/sarif-schema-2.1.0.json (see
// testdata/README.md for where the file comes from).
const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // check "uri" formats too, as GitHub parses them
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestWriteSARIF_validAgainstSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	src, fs := fixture(t)
	odd := diag.Findings{
		{Rule: "", Severity: 0, Message: "no rule, no severity", Range: diag.Range{File: "dir with space/(x).yml", Start: diag.Pos{Line: 2, Col: 1}}},
		{Rule: "no-position", Severity: diag.Warning, Message: "file only", Range: diag.Range{File: "a.yml"}},
		{Rule: "no-file", Severity: diag.Notice, Message: "no location at all"},
		{Rule: "absolute", Severity: diag.Error, Message: "absolute path", Range: diag.Range{File: "/abs/s.yml", Start: diag.Pos{Line: 1, Col: 2}}},
	}
	tests := []struct {
		what    string
		fs      diag.Findings
		rules   []RuleInfo
		version string
	}{
		{"fixture with rules", fs, sampleRules(), "v1.2.3"},
		{"no findings, no rules, dev version", nil, nil, "(devel)"},
		{"findings without positions, rules or files", odd, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSARIF(&b, tt.fs, tt.rules, tt.version, src); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Fatalf("SARIF does not match the 2.1.0 schema: %v\n%s", err, b.String())
			}
			checkGitHubRequirements(t, b.Bytes())
		})
	}
}

// checkGitHubRequirements checks what GitHub code scanning needs beyond the
// schema: non-empty rule texts, results pointing at a rule by id and index.
func checkGitHubRequirements(t *testing.T, out []byte) {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" || run.Tool.Driver.Name != "stream-events" {
		t.Errorf("columnKind %q, driver %q", run.ColumnKind, run.Tool.Driver.Name)
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "" || r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %+v has an empty required text", r)
		}
	}
	for _, res := range run.Results {
		if res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %q has ruleIndex %d that does not point at its rule", res.RuleID, res.RuleIndex)
		}
		if res.Message.Text == "" || res.PartialFingerprints["primaryLocationLineHash"] == "" {
			t.Errorf("result %+v lacks message or fingerprint", res)
		}
	}
}

func TestWriteSARIF_rulesAndLevels(t *testing.T) {
	src, fs := fixture(t)
	var b bytes.Buffer
	if err := WriteSARIF(&b, fs, sampleRules(), "v1.2.3", src); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	d := log.Runs[0].Tool.Driver
	if d.SemanticVersion != "1.2.3" || d.Version != "v1.2.3" {
		t.Errorf("version %q semanticVersion %q", d.Version, d.SemanticVersion)
	}
	var ids []string
	for _, r := range d.Rules {
		ids = append(ids, r.ID+"="+r.DefaultConfiguration.Level)
	}
	want := []string{"stream-batch-size=error", "stream-arn=warning", "stream-event=error",
		"deprecated-batch-window=warning", "service-name=note", "provider-check=note"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if d.Rules[2].HelpURI != "" {
		t.Errorf("a relative helpUri %q must be dropped", d.Rules[2].HelpURI)
	}
	if !strings.Contains(d.Rules[0].Help.Markdown, "(https://github.com/stream-events/stream-events/blob/main/docs/rules.md#stream-batch-size)") {
		t.Errorf("help markdown lacks the doc link: %q", d.Rules[0].Help.Markdown)
	}
	if got := d.Rules[0].ShortDescription.Text; got != "batchSize must be within the limits of the stream type." {
		t.Errorf("shortDescription = %q", got)
	}
}

// fingerprints returns each result's primaryLocationLineHash by message.
func fingerprints(t *testing.T, fs diag.Findings, src map[string][]byte) map[string]string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIF(&b, fs, nil, "1.0.0", src); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range log.Runs[0].Results {
		out[r.Message.Text] = r.PartialFingerprints["primaryLocationLineHash"]
	}
	return out
}

func TestWriteSARIF_fingerprintsSurviveLineMoves(t *testing.T) {
	at := func(line int, msg string) diag.Finding {
		return diag.Finding{Rule: "r", Severity: diag.Error, Message: msg, Range: diag.Range{File: "s.yml", Start: diag.Pos{Line: line, Col: 3}}}
	}
	before := map[string][]byte{"s.yml": []byte("a:\n  batchSize: 0\n  batchSize: 0\n")}
	after := map[string][]byte{"s.yml": []byte("# new comment\n\na:\n    batchSize: 0\n    batchSize: 0\n")}
	got1 := fingerprints(t, diag.Findings{at(2, "first"), at(3, "second")}, before)
	got2 := fingerprints(t, diag.Findings{at(4, "first"), at(5, "second")}, after)
	if d := cmp.Diff(got1, got2); d != "" {
		t.Errorf("fingerprints changed when lines moved (-before +after):\n%s", d)
	}
	if got1["first"] == got1["second"] {
		t.Errorf("identical lines share fingerprint %q; the occurrence index must tell them apart", got1["first"])
	}
	if !strings.HasSuffix(got1["first"], ":1") || !strings.HasSuffix(got1["second"], ":2") {
		t.Errorf("occurrence suffixes: %v", got1)
	}
	changed := fingerprints(t, diag.Findings{at(2, "first")}, map[string][]byte{"s.yml": []byte("a:\n  batchSize: 5\n")})
	if changed["first"] == got1["first"] {
		t.Error("fingerprint ignores the line content")
	}
}

func TestSemanticVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3": "1.2.3", "1.0.0-rc.1+build.5": "1.0.0-rc.1+build.5", "dev": "", "(devel)": "", "1.2": "", "": "",
	} {
		if got := semanticVersion(in); got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
