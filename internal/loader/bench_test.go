package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
)

// benchConfig is a service with n functions of 4 stream events each, with
// a few variables per function.
func benchConfig(n int) string {
	var b strings.Builder
	b.WriteString("service: bench\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\n  region: ${opt:region, 'eu-west-1'}\ncustom:\n  table: orders-${sls:stage}\n  batch: 100\n  streams:\n    dev: arn:aws:kinesis:eu-west-1:123456789012:stream/s-dev\nfunctions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `  fn%d:
    handler: src/fn%d.handler
    name: ${self:service}-${sls:stage}-fn%d
    events:
      - stream:
          type: dynamodb
          arn: !GetAtt OrdersTable.StreamArn
          batchSize: ${self:custom.batch}
          startingPosition: LATEST
      - stream:
          type: kinesis
          arn: ${self:custom.streams.${sls:stage}}
          batchSize: 10
      - stream:
          type: dynamodb
          arn:
            Fn::ImportValue: ${self:custom.table}-stream
          enabled: ${strToBool(true)}
      - stream: arn:aws:dynamodb:${aws:region}:123456789012:table/t%d/stream/2024-01-01T00:00:00.000
`, i, i, i, i)
	}
	return b.String()
}

func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(p, []byte(benchConfig(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := Load(p, vars.Options{})
		if err != nil || len(c.Findings) > 0 {
			b.Fatal(err, c.Findings)
		}
	}
}

func BenchmarkResolveOnly(b *testing.B) {
	data := []byte(benchConfig(1000))
	roots := make([]*node.Node, 0, 64)
	for range 64 {
		r, _ := parseForBench(data)
		roots = append(roots, r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i >= len(roots) {
			b.StopTimer()
			r, _ := parseForBench(data)
			roots = append(roots, r)
			b.StartTimer()
		}
		res := vars.Resolve(roots[i], vars.Options{})
		if len(res.Findings) > 0 {
			b.Fatal(res.Findings)
		}
	}
}

func TestBenchConfigResolves(t *testing.T) {
	root, _ := parseForBench([]byte(benchConfig(2)))
	res := vars.Resolve(root, vars.Options{Stage: "dev"})
	if len(res.Findings) > 0 {
		t.Fatal(res.Findings)
	}
	got := res.Root.Path("functions", "fn1").Stringify()
	want := `{"handler":"src/fn1.handler","name":"bench-dev-fn1","events":[{"stream":{"type":"dynamodb","arn":{"Fn::GetAtt":["OrdersTable","StreamArn"]},"batchSize":100,"startingPosition":"LATEST"}},{"stream":{"type":"kinesis","arn":"arn:aws:kinesis:eu-west-1:123456789012:stream/s-dev","batchSize":10}},{"stream":{"type":"dynamodb","arn":{"Fn::ImportValue":"orders-dev-stream"},"enabled":true}},{"stream":"arn:aws:dynamodb:eu-west-1:123456789012:table/t1/stream/2024-01-01T00:00:00.000"}]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
