package lint

import (
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// TestMessagesDoNotEchoHugeValues: a finding quotes at most a short
// rendering of the value it is about, not megabytes of it.
func TestMessagesDoNotEchoHugeValues(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, v := range []string{huge, "{a: " + huge + "}", "[" + huge + "]"} {
		src := "functions: {f: {events: [{stream: {type: kinesis, arn: arn:aws:kinesis:us-east-1:123456789012:stream/s, " +
			"filterPatterns: [{data: {f: " + v + ", g: [{numeric: {x: " + huge + "}}]}}]}}]}}\nresources: {Resources: {R: {Type: AWS::IAM::Role}}}\nprovider: {name: aws, iam: {role: {Fn::GetAtt: [" + huge + "]}}}"
		root, fs := yamlsrc.Parse("serverless.yml", []byte(src))
		if len(fs) > 0 {
			t.Fatal(fs)
		}
		found := Lint(root, Options{Now: testNow})
		if len(found) == 0 {
			t.Fatal("no findings")
		}
		for _, f := range found {
			if len(f.Message) > 1000 {
				t.Errorf("%s: a %d-byte message", f.Rule, len(f.Message))
			}
		}
	}
}
