package account

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/stream-events/stream-events/internal/preflight"
)

// The Reader is the pre-flight's view of the account.
var _ preflight.Account = (*Reader)(nil)

// Function reports whether the function, or its alias qualifier, exists.
func (r *Reader) Function(ctx context.Context, name, qualifier string) (bool, error) {
	in := &lambda.GetFunctionInput{FunctionName: aws.String(name)}
	what := "function " + name
	if qualifier != "" {
		in.Qualifier, what = aws.String(qualifier), what+":"+qualifier
	}
	_, err := r.lambda.GetFunction(ctx, in)
	return exists(err, "lambda:GetFunction", what)
}

// Role reports whether the IAM role exists.
func (r *Reader) Role(ctx context.Context, name string) (bool, error) {
	_, err := r.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	return exists(err, "iam:GetRole", "role "+name)
}

// KinesisStream reads the stream's status.
func (r *Reader) KinesisStream(ctx context.Context, arn string) (preflight.Stream, error) {
	out, err := r.kinesis.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(arn)})
	if ok, err := exists(err, "kinesis:DescribeStreamSummary", "stream "+arn); !ok || err != nil {
		return preflight.Stream{}, err
	}
	st := preflight.Stream{Exists: true}
	if sum := out.StreamDescriptionSummary; sum != nil {
		st.Status = string(sum.StreamStatus)
	}
	return st, nil
}

// StreamConsumers lists the names of the stream's consumers.
func (r *Reader) StreamConsumers(ctx context.Context, streamARN string) ([]string, error) {
	var names []string
	p := kinesis.NewListStreamConsumersPaginator(r.kinesis, &kinesis.ListStreamConsumersInput{StreamARN: aws.String(streamARN)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if notFound(err) {
			return names, nil
		}
		if err != nil {
			return nil, readErr("kinesis:ListStreamConsumers", "the consumers of stream "+streamARN, err)
		}
		for _, c := range page.Consumers {
			names = append(names, aws.ToString(c.ConsumerName))
		}
	}
	return names, nil
}

// Table reads the table's stream.
func (r *Reader) Table(ctx context.Context, name string) (preflight.Table, error) {
	out, err := r.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if ok, err := exists(err, "dynamodb:DescribeTable", "the stream of table "+name); !ok || err != nil {
		return preflight.Table{}, err
	}
	t := preflight.Table{Exists: true}
	if d := out.Table; d != nil && d.StreamSpecification != nil {
		t.StreamEnabled, t.LatestStream = aws.ToBool(d.StreamSpecification.StreamEnabled), aws.ToString(d.LatestStreamArn)
	}
	return t, nil
}

// Queue reports whether the SQS queue of arn exists.
func (r *Reader) Queue(ctx context.Context, arn string) (bool, error) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 {
		return false, nil
	}
	in := &sqs.GetQueueUrlInput{QueueName: aws.String(f[5])}
	if f[4] != "" {
		in.QueueOwnerAWSAccountId = aws.String(f[4])
	}
	_, err := r.sqs.GetQueueUrl(ctx, in)
	return exists(err, "sqs:GetQueueUrl", "queue "+arn)
}

// Topic reports whether the SNS topic exists.
func (r *Reader) Topic(ctx context.Context, arn string) (bool, error) {
	_, err := r.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	return exists(err, "sns:GetTopicAttributes", "topic "+arn)
}

// Mappings lists Lambda's event source mappings for function and source.
func (r *Reader) Mappings(ctx context.Context, function, source string) ([]preflight.Mapping, error) {
	in := &lambda.ListEventSourceMappingsInput{}
	if function != "" {
		in.FunctionName = aws.String(function)
	}
	if source != "" {
		in.EventSourceArn = aws.String(source)
	}
	var out []preflight.Mapping
	p := lambda.NewListEventSourceMappingsPaginator(r.lambda, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if notFound(err) {
			return out, nil // the function does not exist: reported on its own
		}
		if err != nil {
			return nil, readErr("lambda:ListEventSourceMappings", "the mappings of "+strings.TrimSpace(function+" "+source), err)
		}
		for _, m := range page.EventSourceMappings {
			out = append(out, preflight.Mapping{UUID: aws.ToString(m.UUID), State: aws.ToString(m.State),
				Function: aws.ToString(m.FunctionArn), Source: aws.ToString(m.EventSourceArn)})
		}
	}
	return out, nil
}

// StackMappings are the mappings stack owns, UUID to logical ID.
func (r *Reader) StackMappings(ctx context.Context, stack string) (map[string]string, error) {
	st, err := r.ReadStack(ctx, stack)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for id, res := range st.Resources {
		if res.Type == "AWS::Lambda::EventSourceMapping" && res.PhysicalID != "" {
			out[res.PhysicalID] = id
		}
	}
	return out, nil
}

// exists types the answer of a read of one resource: a missing resource
// is false and no error.
func exists(err error, action, what string) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case notFound(err):
		return false, nil
	}
	return false, readErr(action, what, err)
}
