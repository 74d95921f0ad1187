// Package account reads what a deploy needs from the AWS account it
// deploys to: the resources of the Serverless stack, and from them the
// values of the standalone template's parameters. Which value comes from
// which resource is internal/stackref's pure decision; this package does
// the reads, through narrow interfaces over the SDK clients that tests
// fake.
package account

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/stackref"
)

// Reader reads one region of one account.
type Reader struct {
	cfn     cfnAPI
	ddb     dynamoAPI
	iam     iamAPI
	lambda  lambdaAPI
	kinesis kinesisAPI
	sqs     sqsAPI
	sns     snsAPI
	region  string
}

// NewFromConfig returns a Reader with the SDK's clients for cfg.
func NewFromConfig(cfg aws.Config) *Reader {
	return &Reader{cfn: cloudformation.NewFromConfig(cfg), ddb: dynamodb.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg),
		lambda: lambda.NewFromConfig(cfg), kinesis: kinesis.NewFromConfig(cfg), sqs: sqs.NewFromConfig(cfg), sns: sns.NewFromConfig(cfg),
		region: cfg.Region}
}

// Stack is the Serverless stack as read once.
type Stack struct {
	Name      string
	Exists    bool
	Env       stackref.Env
	Resources map[string]stackref.Resource // by logical ID
}

// describeLimit is how many resources DescribeStackResources returns at
// most; a larger stack is listed with ListStackResources.
const describeLimit = 100

// ReadStack lists the resources of stack. A stack that does not exist is
// no error: Exists is false.
func (r *Reader) ReadStack(ctx context.Context, name string) (*Stack, error) {
	st := &Stack{Name: name, Resources: map[string]stackref.Resource{}}
	out, err := r.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
	if notFound(err) {
		return st, nil
	}
	if err != nil {
		return nil, readErr("cloudformation:DescribeStackResources", "the resources of the Serverless stack "+name, err)
	}
	st.Exists = true
	for _, x := range out.StackResources {
		if e, ok := stackref.EnvFromStackID(aws.ToString(x.StackId)); ok {
			st.Env = e
		}
		st.add(aws.ToString(x.LogicalResourceId), aws.ToString(x.ResourceType), aws.ToString(x.PhysicalResourceId), string(x.ResourceStatus))
	}
	if len(out.StackResources) < describeLimit {
		return st, nil
	}
	p := cloudformation.NewListStackResourcesPaginator(r.cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, readErr("cloudformation:ListStackResources", "the resources of the Serverless stack "+name, err)
		}
		for _, x := range page.StackResourceSummaries {
			st.add(aws.ToString(x.LogicalResourceId), aws.ToString(x.ResourceType), aws.ToString(x.PhysicalResourceId), string(x.ResourceStatus))
		}
	}
	return st, nil
}

func (st *Stack) add(id, typ, physical, status string) {
	st.Resources[id] = stackref.Resource{LogicalID: id, Type: typ, PhysicalID: physical, Status: status}
}

// Fill finds the value of every parameter in the stack. A value that
// cannot be found is an Unfound saying why; an error is a read that
// failed.
func (r *Reader) Fill(ctx context.Context, stack string, params []compile.Parameter) ([]stackref.Value, []stackref.Unfound, error) {
	if len(params) == 0 {
		return nil, nil, nil
	}
	st, err := r.ReadStack(ctx, stack)
	if err != nil {
		return nil, nil, err
	}
	var vals []stackref.Value
	var unfound []stackref.Unfound
	streams := map[string]string{} // table -> its stream ARN, read once
	for _, p := range params {
		v, why, err := r.value(ctx, st, p, streams)
		switch {
		case err != nil:
			return nil, nil, err
		case why != "":
			unfound = append(unfound, stackref.Unfound{Name: p.Name, Reason: why})
		default:
			vals = append(vals, v)
		}
	}
	return vals, unfound, nil
}

// value finds one parameter; why says why it cannot be found.
func (r *Reader) value(ctx context.Context, st *Stack, p compile.Parameter, streams map[string]string) (stackref.Value, string, error) {
	if !st.Exists {
		return stackref.Value{}, fmt.Sprintf("%s: the Serverless stack %s does not exist in %s; deploy it first", p.Expr(), st.Name, r.region), nil
	}
	res, ok := st.Resources[p.Target]
	if !ok {
		return stackref.Value{}, fmt.Sprintf("%s: %s is not a resource of the Serverless stack %s in %s", p.Expr(), p.Target, st.Name, r.region), nil
	}
	src, err := stackref.For(p.Attr, res, st.Env)
	if err != nil {
		return stackref.Value{}, fmt.Sprintf("%s in the Serverless stack %s: %v", p.Expr(), st.Name, err), nil
	}
	v := stackref.Value{Name: p.Name, Value: src.Value, Source: fmt.Sprintf("stack %s: %s (%s)", st.Name, p.Expr(), src.How)}
	switch src.Lookup {
	case stackref.TableStream:
		arn, ok := streams[src.Value]
		if !ok {
			if arn, err = r.tableStream(ctx, src.Value); err != nil {
				return v, "", err
			}
			streams[src.Value] = arn
		}
		if arn == "" {
			return v, fmt.Sprintf("%s: table %s of the Serverless stack %s has no stream enabled; set its StreamSpecification", p.Expr(), src.Value, st.Name), nil
		}
		v.Value = arn
	case stackref.RoleARN:
		out, err := r.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(src.Value)})
		if notFound(err) {
			return v, fmt.Sprintf("%s: role %s of the Serverless stack %s does not exist", p.Expr(), src.Value, st.Name), nil
		}
		if err != nil {
			return v, "", readErr("iam:GetRole", "the ARN of role "+src.Value, err)
		}
		v.Value = aws.ToString(out.Role.Arn)
	}
	return v, "", nil
}

// tableStream is the table's current stream ARN, "" when it has no
// enabled stream.
func (r *Reader) tableStream(ctx context.Context, table string) (string, error) {
	out, err := r.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if notFound(err) {
		return "", nil
	}
	if err != nil {
		return "", readErr("dynamodb:DescribeTable", "the stream of table "+table, err)
	}
	t := out.Table
	if t == nil || t.StreamSpecification == nil || !aws.ToBool(t.StreamSpecification.StreamEnabled) {
		return "", nil
	}
	return aws.ToString(t.LatestStreamArn), nil
}
