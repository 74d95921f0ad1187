package annotate

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

// update rewrites golden files: go test ./internal/annotate/ -update, then
// review the diff with git.
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

// fixture returns testdata/serverless.yml keyed by its finding path, and
// findings on it that cover every severity, a multi-line span, wide and
// non-ASCII characters, a tab, a rule missing from sampleRules and
// characters that workflow commands and Markdown must escape.
func fixture(t testing.TB) (map[string][]byte, diag.Findings) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "serverless.yml"))
	if err != nil {
		t.Fatal(err)
	}
	const file = "svc/serverless.yml"
	at := func(line, col, endLine, endCol int) diag.Range {
		return diag.Range{File: file, Start: diag.Pos{Line: line, Col: col}, End: diag.Pos{Line: endLine, Col: endCol}}
	}
	fs := diag.Findings{
		{Rule: "stream-batch-size", Severity: diag.Error, Message: `"batchSize" 20000 is above the DynamoDB maximum of 10000`, Range: at(10, 22, 10, 27)},
		{Rule: "stream-arn", Severity: diag.Warning, Message: `stream ARN suffix "stream/x" is not a timestamp label`, Range: at(9, 60, 9, 68)},
		{Rule: "service-name", Severity: diag.Notice, Message: `comment <b>注文サービス</b> | uses "non-ASCII" text`, Range: at(1, 19, 1, 25)},
		{Rule: "stream-event", Severity: diag.Error, Message: "stream event has no \"type\"", Range: at(8, 9, 11, 35)},
		{Rule: "deprecated-batch-window", Severity: diag.Warning, Message: `"batchWindow" is deprecated; use "maximumBatchingWindow" instead`, Range: at(12, 33, 12, 44)},
		{Rule: "provider-check", Severity: diag.Notice, Message: "100% sure::\nsecond line, with comma", Range: diag.Range{File: file, Start: diag.Pos{Line: 3, Col: 9}}},
	}
	return map[string][]byte{file: b}, fs
}

func sampleRules() []RuleInfo {
	return []RuleInfo{
		{ID: "stream-batch-size", Name: "StreamBatchSize", Severity: diag.Error, Description: "batchSize must be within the limits of the stream type. DynamoDB allows 1-10000.", Help: "Set `batchSize` between 1 and 10000 for DynamoDB streams.", HelpURI: "https://github.com/stream-events/stream-events/blob/main/docs/rules.md#stream-batch-size"},
		{ID: "stream-arn", Severity: diag.Warning, Description: "The stream ARN should name a stream."},
		{ID: "stream-event", Severity: diag.Error, Description: "A stream event needs a type or a recognisable ARN.", HelpURI: "not a uri"},
		{ID: "deprecated-batch-window", Severity: diag.Warning, Description: "batchWindow is deprecated.", Help: "Use `maximumBatchingWindow`."},
		{ID: "service-name", Severity: diag.Notice},
	}
}

func TestGolden(t *testing.T) {
	src, fs := fixture(t)
	cases := []struct {
		name  string
		write func(b *bytesBuffer) error
	}{
		{"text.golden", func(b *bytesBuffer) error { return WriteText(b, fs, src, false) }},
		{"text-color.golden", func(b *bytesBuffer) error { return WriteText(b, fs, src, true) }},
		{"json.golden.json", func(b *bytesBuffer) error { return WriteJSON(b, fs) }},
		{"github.golden", func(b *bytesBuffer) error { return WriteGitHub(b, fs) }},
		{"sarif.golden.json", func(b *bytesBuffer) error { return WriteSARIF(b, fs, sampleRules(), "v1.2.3", src) }},
		{"summary.golden.md", func(b *bytesBuffer) error { return WriteSummary(b, sampleSummary(fs)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytesBuffer
			if err := c.write(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, b.Bytes())
		})
	}
}
