package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/vars"
)

// goInf is how Go formats an infinity ("+Inf", "-Inf"); JavaScript writes
// "Infinity".
var goInf = regexp.MustCompile(`Inf\b`)

// TestInfiniteNumbers: YAML can write Infinity (.inf, -.inf, !!float .inf)
// where a number is expected. Nothing may panic, and no finding or
// template may hold Go's "+Inf" (templates are JSON, where Serverless's
// JSON.stringify writes null).
func TestInfiniteNumbers(t *testing.T) {
	for _, v := range []string{".inf", "-.inf", "!!float .inf", ".nan", "1e99999"} {
		t.Run(v, func(t *testing.T) {
			src := fmt.Sprintf(`service: s
provider: {name: aws, timeout: %[1]s}
custom: {n: %[1]s}
functions:
  f:
    handler: h
    events:
      - stream:
          type: kinesis
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/s
          batchSize: %[1]s
          maximumRetryAttempts: ${self:custom.n}
          parallelizationFactor: %[1]s
          startingPosition: AT_TIMESTAMP
          startingPositionTimestamp: %[1]s
          tumblingWindowInSeconds: %[1]s
          filterPatterns:
            - data: {n: [{numeric: [">", %[1]s]}]}
`, v)
			dir := t.TempDir()
			p := filepath.Join(dir, "serverless.yml")
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(p, vars.Options{ServiceDir: dir, Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			for _, f := range append(cfg.Findings, lint.Lint(cfg.Root, lint.Options{Now: time.Unix(1.7e9, 0), Stage: cfg.Stage})...) {
				out.WriteString(f.String() + "\n")
			}
			svc, lf := compile.Load(cfg.Root, cfg.Stage, cfg.Region)
			res := compile.Compile(svc)
			for _, f := range append(lf, res.Findings...) {
				out.WriteString(f.String() + "\n")
			}
			if !lf.HasErrors() && !res.Findings.HasErrors() {
				tpl, fs := compile.ServerlessTemplate(res, nil)
				out.WriteString(tpl.Stringify() + "\n")
				tpl, fs2 := compile.Standalone(res, compile.StandaloneOptions{})
				out.WriteString(tpl.Stringify() + "\n")
				for _, f := range append(fs, fs2...) {
					out.WriteString(f.String() + "\n")
				}
			}
			if goInf.MatchString(out.String()) {
				t.Errorf("Go's infinity leaked:\n%s", out.String())
			}
		})
	}
}
