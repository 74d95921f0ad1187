package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// benchConfig returns a serverless.yml with n functions of four stream
// events each: a DynamoDB !GetAtt with filters, a Kinesis ARN with a
// consumer, a Kinesis ARN with destinations, and an ImportValue.
func benchConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("service: bench\nprovider:\n  name: aws\n  kinesis:\n    consumerNamingMode: serviceSpecific\nfunctions:\n")
	for i := range n {
		fmt.Fprintf(&b, `  fn%d:
    handler: h.fn%d
    events:
      - stream:
          type: dynamodb
          arn: !GetAtt Table%d.StreamArn
          batchSize: 100
          startingPosition: LATEST
          filterPatterns:
            - eventName: [INSERT, MODIFY]
              dynamodb: {NewImage: {status: {S: [paid]}}}
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks%d
          consumer: true
          parallelizationFactor: 2
          maximumRecordAgeInSeconds: 3600
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/views%d
          destinations:
            onFailure: {arn: "arn:aws:sqs:us-east-1:123456789012:dlq", type: sqs}
          filterPatterns:
            - data: {kind: [{prefix: "a"}], amount: [{numeric: [">", 0]}]}
      - stream:
          type: kinesis
          arn: !ImportValue shared-Stream%d
`, i, i, i, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkLint lints 1000 functions × 4 stream events (parsing excluded).
func BenchmarkLint(b *testing.B) {
	root, fs := yamlsrc.Parse("serverless.yml", benchConfig(1000))
	if fs.HasErrors() {
		b.Fatal(fs)
	}
	if got := Lint(root, Options{Now: testNow}); len(got) != 0 {
		b.Fatalf("the benchmark config must lint clean, got %d findings: %v", len(got), got[0])
	}
	b.ReportAllocs()
	for b.Loop() {
		Lint(root, Options{Now: testNow})
	}
}

// BenchmarkLintService lints the resolved 1000-function service of the
// root package's BenchmarkCompile: every rule (lint, deploy) and only the
// rules Serverless reports (compile --mode serverless).
func BenchmarkLintService(b *testing.B) {
	root, fs := yamlsrc.Parse("serverless.yml", benchsvc.Service(1000))
	if fs.HasErrors() {
		b.Fatal(fs)
	}
	root = vars.Resolve(node.JSONRoundTrip(root), vars.Options{}).Root
	serverless := map[string]bool{}
	for _, r := range Rules() {
		serverless[r.ID] = r.Serverless
	}
	for _, bc := range []struct {
		name string
		only func(string) bool
	}{
		{"all", nil},
		{"serverless", func(id string) bool { return serverless[id] }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			o := Options{Now: testNow, Stage: "dev", Only: bc.only}
			if got := Lint(root, o); len(got) != 0 {
				b.Fatalf("the benchmark config must lint clean, got %d findings: %v", len(got), got[0])
			}
			b.ReportAllocs()
			for b.Loop() {
				Lint(root, o)
			}
		})
	}
}
