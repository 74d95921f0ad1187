// Package benchsvc generates the service the benchmarks measure, so that
// each package's benchmark times its own share of the root package's
// BenchmarkCompile on the same input.
package benchsvc

import (
	"fmt"
	"strings"
)

// Service is a serverless.yml of n functions with 4 stream events each:
// DynamoDB and Kinesis, plain and with a consumer, with variables, filters
// and destinations, as real configs have them. Every benchmark and
// performance test reads this one service, so their figures add up.
func Service(n int) []byte {
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
