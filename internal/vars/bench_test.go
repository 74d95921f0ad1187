package vars

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// benchService is the root package's generateService (bench_test.go): n
// functions with 4 stream events each, their ARNs built from variables, so
// that resolution's share of BenchmarkCompile is measured here alone.
func benchService(n int) []byte {
	var b strings.Builder
	b.WriteString(`service: bench
provider:
  name: aws
  runtime: nodejs18.x
  region: eu-west-1
  kinesis:
    consumerNamingMode: serviceSpecific
custom:
  account: '123456789012'
  dlq: arn:aws:sqs:${aws:region}:${self:custom.account}:dlq
functions:
`)
	for i := range n {
		fmt.Fprintf(&b, `  fn%d:
    handler: h.main
    events:
      - stream:
          arn: arn:aws:dynamodb:${aws:region}:${self:custom.account}:table/Orders%d/stream/2024-01-01T00:00:00.000
          batchSize: 100
          startingPosition: LATEST
          filterPatterns:
            - eventName: [INSERT]
              dynamodb: {NewImage: {status: {S: [PAID]}}}
          destinations:
            onFailure: ${self:custom.dlq}
      - stream:
          type: kinesis
          arn: arn:aws:kinesis:${aws:region}:${self:custom.account}:stream/s%d-${sls:stage}
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
	return []byte(b.String())
}

// BenchmarkResolve resolves the 1000-function service; parsing the YAML is
// not timed (Resolve edits the tree in place, so each run gets a fresh one).
func BenchmarkResolve(b *testing.B) {
	data := benchService(1000)
	fresh := func() *node.Node {
		root, fs := yamlsrc.Parse("serverless.yml", data)
		if fs.HasErrors() {
			b.Fatal(fs)
		}
		return node.JSONRoundTrip(root)
	}
	if res := Resolve(fresh(), Options{}); len(res.Findings) > 0 {
		b.Fatal(res.Findings)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		root := fresh()
		b.StartTimer()
		Resolve(root, Options{})
	}
}
