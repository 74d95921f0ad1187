package annotate

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

// benchInput returns 4000 findings over a 4000-line file.
func benchInput() (diag.Findings, map[string][]byte) {
	var src strings.Builder
	var fs diag.Findings
	for i := range 4000 {
		src.WriteString("      batchSize: " + strconv.Itoa(i) + " # 注文 ✓\n")
		fs = append(fs, diag.Finding{Rule: "stream-batch-size", Severity: diag.Severity(i%3 + 1),
			Message: `"batchSize" ` + strconv.Itoa(i) + " is out of range",
			Range:   diag.Range{File: "svc/serverless.yml", Start: diag.Pos{Line: i + 1, Col: 18}, End: diag.Pos{Line: i + 1, Col: 22}}})
	}
	return fs, map[string][]byte{"svc/serverless.yml": []byte(src.String())}
}

func BenchmarkWriteSARIF(b *testing.B) {
	fs, src := benchInput()
	rules := []RuleInfo{{ID: "stream-batch-size", Severity: diag.Error, Description: "batchSize must be in range."}}
	for b.Loop() {
		if err := WriteSARIF(io.Discard, fs, rules, "1.0.0", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteText(b *testing.B) {
	fs, src := benchInput()
	for b.Loop() {
		if err := WriteText(io.Discard, fs, src, true); err != nil {
			b.Fatal(err)
		}
	}
}
