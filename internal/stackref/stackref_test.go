package stackref

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFor(t *testing.T) {
	env := Env{Partition: "aws", Region: "eu-west-1", Account: "123456789012"}
	tests := map[string]struct {
		attr    string
		res     Resource
		want    Source
		wantErr string
	}{
		"Ref is the physical ID": {res: Resource{LogicalID: "R", Type: "AWS::IAM::Role", PhysicalID: "svc-dev-R-ABC"},
			want: Source{Value: "svc-dev-R-ABC", How: "physical ID"}},
		"a table's StreamArn asks DynamoDB": {attr: "StreamArn", res: Resource{LogicalID: "T", Type: "AWS::DynamoDB::Table", PhysicalID: "orders"},
			want: Source{Lookup: TableStream, Value: "orders", How: "DynamoDB DescribeTable LatestStreamArn"}},
		"a table's Arn is derived": {attr: "Arn", res: Resource{Type: "AWS::DynamoDB::Table", PhysicalID: "orders"},
			want: Source{Value: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", How: "the table's ARN from its name"}},
		"a Kinesis stream's Arn is derived": {attr: "Arn", res: Resource{Type: "AWS::Kinesis::Stream", PhysicalID: "events"},
			want: Source{Value: "arn:aws:kinesis:eu-west-1:123456789012:stream/events", How: "the stream's ARN from its name"}},
		"a queue's Arn comes from its URL, whatever the host": {attr: "Arn", res: Resource{Type: "AWS::SQS::Queue", PhysicalID: "https://sqs.eu-west-1.amazonaws.com/210987654321/dlq"},
			want: Source{Value: "arn:aws:sqs:eu-west-1:210987654321:dlq", How: "the queue's ARN from its URL"}},
		"a role's Arn asks IAM (its path is not in the name)": {attr: "Arn", res: Resource{Type: "AWS::IAM::Role", PhysicalID: "r"},
			want: Source{Lookup: RoleARN, Value: "r", How: "IAM GetRole Arn"}},
		"a consumer's StreamARN is cut from its ARN": {attr: "StreamARN", res: Resource{Type: "AWS::Kinesis::StreamConsumer", PhysicalID: "arn:aws:kinesis:eu-west-1:1:stream/s/consumer/c:1"},
			want: Source{Value: "arn:aws:kinesis:eu-west-1:1:stream/s", How: "the stream part of the consumer's ARN"}},
		"a topic's TopicArn is its physical ID": {attr: "TopicArn", res: Resource{Type: "AWS::SNS::Topic", PhysicalID: "arn:aws:sns:eu-west-1:1:t"},
			want: Source{Value: "arn:aws:sns:eu-west-1:1:t", How: "physical ID"}},
		"an unknown attribute is an error": {attr: "Nope", res: Resource{LogicalID: "T", Type: "AWS::DynamoDB::Table", PhysicalID: "t"},
			wantErr: "deploy cannot read Fn::GetAtt T.Nope of a AWS::DynamoDB::Table"},
		"a queue ID that is no URL is an error": {attr: "Arn", res: Resource{LogicalID: "Q", Type: "AWS::SQS::Queue", PhysicalID: "dlq"},
			wantErr: `the physical ID "dlq" of Q is not in the form of a AWS::SQS::Queue`},
		"a resource without physical ID is an error": {res: Resource{LogicalID: "T", Status: "CREATE_FAILED"},
			wantErr: "T has no physical ID (status CREATE_FAILED)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := For(tc.attr, tc.res, env)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestEnvFromStackID(t *testing.T) {
	got, ok := EnvFromStackID("arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/s/id")
	if want := (Env{"aws-cn", "cn-north-1", "123456789012"}); !ok || got != want {
		t.Errorf("got %+v %v, want %+v", got, ok, want)
	}
	if _, ok := EnvFromStackID("s"); ok {
		t.Error("a name is no stack ID")
	}
}
