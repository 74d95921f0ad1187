package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/cli"
)

// memFS serves files from memory, so the benchmark measures the tool, not
// the disk.
type memFS map[string][]byte

func (m memFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m[strings.TrimPrefix(name, "/bench/")]; ok {
		return b, nil
	}
	return nil, fs.ErrNotExist
}

func (m memFS) WriteFile(string, []byte) error { return errors.New("read-only") }

func (m memFS) Stat(name string) bool {
	_, ok := m[strings.TrimPrefix(name, "/bench/")]
	return ok
}

// generateService writes a service of n functions with 4 stream events each:
// DynamoDB and Kinesis, plain and with a consumer, with variables, filters
// and destinations, as real configs have them.
func generateService(n int) []byte {
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

// BenchmarkCompile measures load + resolve + compile + encode of a service
// of 10, 100, 1000 and 5000 functions with 4 stream events each (5000
// shows the growth stays linear).
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		files := memFS{"serverless.yml": generateService(n)}
		modes := []string{"serverless", "standalone"}
		if n > 10 {
			// A standalone stack of 100 or more such functions is over CloudFormation's
			// 500-resource quota, so standalone mode refuses it.
			modes = modes[:1]
		}
		for _, mode := range modes {
			b.Run(fmt.Sprintf("functions=%d/mode=%s", n, mode), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					code := cli.Main(context.Background(), cli.Env{
						Args:   []string{"compile", "--mode", mode},
						Stdout: io.Discard, Stderr: io.Discard, Dir: "/bench", FS: files,
						Getenv: func(string) (string, bool) { return "", false },
					})
					if code != 0 {
						b.Fatalf("exit %d", code)
					}
				}
			})
		}
	}
}
