package yamlsrc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

// BenchmarkParse reads a service of 1000 functions with 4 stream events
// each: Parse (the fast path), and the slow path alone (yaml.v3), which
// Parse took for every file before the fast path.
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
	for _, path := range []string{"fast", "slow"} {
		b.Run("path="+path, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var fs diag.Findings
				if path == "fast" {
					_, fs = Parse("serverless.yml", data)
				} else {
					p := &parser{file: "serverless.yml"}
					p.checkEncoding(data)
					_, fs = parseSlow("serverless.yml", data)
				}
				if len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
	}
}
