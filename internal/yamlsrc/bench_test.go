package yamlsrc

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse reads a service of 1000 functions with 4 stream events each.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("service: bench\nprovider:\n  name: aws\nfunctions:\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, `  fn%d:
    handler: h.main
    events:
      - stream:
          arn: arn:aws:dynamodb:eu-west-1:123456789012:table/T%d/stream/2024-01-01T00:00:00.000
          batchSize: 100
          filterPatterns:
            - eventName: [INSERT]
              dynamodb: {NewImage: {status: {S: [PAID]}}}
      - stream:
          type: kinesis
          arn: "arn:aws:kinesis:eu-west-1:123456789012:stream/s%d"
          consumer: true
      - stream: arn:aws:kinesis:eu-west-1:123456789012:stream/plain%d
      - stream:
          type: dynamodb
          arn: !GetAtt Table%d.StreamArn
`, i, i, i, i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, fs := Parse("serverless.yml", data); len(fs) > 0 {
			b.Fatal(fs)
		}
	}
}
