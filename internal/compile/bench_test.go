package compile

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// benchService is the root benchmark's service (bench_test.go,
// generateService) with its variables already resolved: n functions of 4
// stream events each (DynamoDB with filters and a destination, Kinesis with
// a consumer, a plain Kinesis ARN, a !GetAtt DynamoDB stream).
func benchService(b *testing.B, n int) *node.Node {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(`service: bench
provider:
  name: aws
  runtime: nodejs18.x
  region: eu-west-1
  kinesis:
    consumerNamingMode: serviceSpecific
functions:
`)
	for i := range n {
		fmt.Fprintf(&sb, `  fn%d:
    handler: h.main
    events:
      - stream:
          arn: arn:aws:dynamodb:eu-west-1:123456789012:table/Orders%d/stream/2024-01-01T00:00:00.000
          batchSize: 100
          startingPosition: LATEST
          filterPatterns:
            - eventName: [INSERT]
              dynamodb: {NewImage: {status: {S: [PAID]}}}
          destinations:
            onFailure: arn:aws:sqs:eu-west-1:123456789012:dlq
      - stream:
          type: kinesis
          arn: arn:aws:kinesis:eu-west-1:123456789012:stream/s%d-dev
          consumer: true
          parallelizationFactor: 2
      - stream: arn:aws:kinesis:eu-west-1:123456789012:stream/plain%d
      - stream:
          type: dynamodb
          arn: !GetAtt Table%d.StreamArn
          maximumRetryAttempts: 3
          bisectBatchOnFunctionError: true
`, i, i, i, i, i)
	}
	root, fs := yamlsrc.Parse("serverless.yml", []byte(sb.String()))
	if fs.HasErrors() {
		b.Fatal(fs)
	}
	return root
}

// serverlessTemplate is what compile --mode serverless does after loading.
func serverlessTemplate(b *testing.B, root *node.Node) *node.Node {
	svc, fs := Load(root, "dev", "eu-west-1")
	res := Compile(svc)
	tpl, mf := ServerlessTemplate(res, nil)
	if fs = append(append(fs, res.Findings...), mf...); fs.HasErrors() || tpl == nil {
		b.Fatal(fs)
	}
	return tpl
}

// BenchmarkServerless measures Load, Compile and ServerlessTemplate of 1000
// functions (4000 mappings, 1000 consumers), parsing excluded.
func BenchmarkServerless(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		serverlessTemplate(b, root)
	}
}

// BenchmarkServerlessEncode adds the encoding of the template, streamed
// as compile writes it to its output.
func BenchmarkServerlessEncode(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := serverlessTemplate(b, root).WriteIndent(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStandalone measures the standalone template of 100 functions
// (the most a standalone stack holds within CloudFormation's quota is
// fewer; standalone refuses more, after compiling them).
func BenchmarkStandalone(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		svc, _ := Load(root, "dev", "eu-west-1")
		res := Compile(svc)
		Standalone(res, StandaloneOptions{})
	}
}
