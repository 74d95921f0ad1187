package deploy

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/stream-events/stream-events/internal/mototest"
)

var motoSeq atomic.Int64

// motoDeployer returns a Deployer on moto and a stack name unique to the
// test, since moto's state is shared by every test in the run.
func motoDeployer(t *testing.T) (*Deployer, *cloudformation.Client, string) {
	t.Helper()
	url := mototest.URL(t) // one server for the package; skips without moto_server
	c := cloudformation.NewFromConfig(testConfig(), func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
	var n atomic.Int64
	name := fmt.Sprintf("moto-%d-%d", time.Now().UnixNano()%1e6, motoSeq.Add(1))
	d := New(c, WithPollDelays(5*time.Millisecond, 50*time.Millisecond, 1.5),
		WithChangeSetNamer(func() string { return fmt.Sprintf("%s-cs-%d", name, n.Add(1)) }))
	return d, c, name
}

// motoTemplate is a Kinesis stream, a role, a function and a mapping that
// points at the stream ARN (moto has no StreamConsumer).
func motoTemplate(stack string, batch int) string {
	return strings.NewReplacer("STACK", stack, "BATCH", fmt.Sprint(batch)).Replace(`{
  "Resources": {
    "Orders": {"Type": "AWS::Kinesis::Stream", "Properties": {"Name": "STACK-orders", "ShardCount": 1}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
    "Worker": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "STACK-worker", "Runtime": "python3.12",
      "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"ZipFile": "def handler(e, c):\n  return None\n"}}},
    "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": {"Ref": "Worker"},
      "EventSourceArn": {"Fn::GetAtt": ["Orders", "Arn"]}, "StartingPosition": "LATEST", "BatchSize": BATCH}}
  }
}`)
}

func describe(t *testing.T, c *cloudformation.Client, name string) *cloudformation.DescribeStacksOutput {
	t.Helper()
	out, err := c.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeStacks %s: %v", name, err)
	}
	return out
}

func TestMoto_CreateUpdateNoChange(t *testing.T) {
	t.Parallel()
	d, c, name := motoDeployer(t)
	ctx := context.Background()
	in := Input{StackName: name, Mode: Execute, TemplateBody: []byte(motoTemplate(name, 10)),
		Tags: []Tag{{"app", "orders"}, {"stage", "dev"}}}

	res, err := d.Deploy(ctx, in)
	if err != nil || res.StackStatus != "CREATE_COMPLETE" || res.ChangeSetType != "CREATE" || len(res.Changes) != 4 {
		t.Fatalf("create: %v, %+v", err, res)
	}
	st := describe(t, c, name).Stacks[0]
	if len(st.Tags) != 2 || aws.ToString(st.Tags[0].Key) != "app" || aws.ToString(st.Tags[1].Value) != "dev" {
		t.Errorf("tags = %+v", st.Tags)
	}

	in.TemplateBody = []byte(motoTemplate(name, 20))
	res, err = d.Deploy(ctx, in)
	if err != nil || res.StackStatus != "UPDATE_COMPLETE" || res.ChangeSetType != "UPDATE" || !res.HasChanges {
		t.Fatalf("update: %v, %+v", err, res)
	}

	res, err = d.Deploy(ctx, in)
	if err != nil || res.HasChanges || !res.ChangeSetDeleted || res.StackStatus != "UPDATE_COMPLETE" {
		t.Fatalf("no-change: %v, %+v", err, res)
	}
}

func TestMoto_PreviewOnly(t *testing.T) {
	t.Parallel()
	d, c, name := motoDeployer(t)
	ctx := context.Background()
	in := Input{StackName: name, Mode: Preview, TemplateBody: []byte(motoTemplate(name, 10))}
	res, err := d.Deploy(ctx, in)
	if err != nil || !res.HasChanges || len(res.Changes) != 4 || !res.ChangeSetDeleted {
		t.Fatalf("preview: %v, %+v", err, res)
	}
	// The REVIEW_IN_PROGRESS stub was deleted with the change set.
	_, err = c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if !stackMissing(err) {
		t.Errorf("stack still exists after a preview: %v", err)
	}

	in.KeepChangeSet = true
	res, err = d.Deploy(ctx, in)
	if err != nil || res.ChangeSetDeleted {
		t.Fatalf("preview with keep: %v, %+v", err, res)
	}
	if got := describe(t, c, name).Stacks[0].StackStatus; got != "REVIEW_IN_PROGRESS" {
		t.Errorf("status = %s, want REVIEW_IN_PROGRESS", got)
	}
	// A later execute creates from the kept stub.
	in.Mode, in.KeepChangeSet = Execute, false
	if res, err = d.Deploy(ctx, in); err != nil || res.ChangeSetType != "CREATE" || res.StackStatus != "CREATE_COMPLETE" {
		t.Fatalf("execute after preview: %v, %+v", err, res)
	}
}

// TestMoto_TerminationProtection accepts moto 5.2.1's gap: it has no
// UpdateTerminationProtection (its models.py says so) and answers with an
// HTML 500. The deploy must then fail clearly after creating the stack; on
// an emulator that implements the call, protection must be on.
func TestMoto_TerminationProtection(t *testing.T) {
	t.Parallel()
	d, c, name := motoDeployer(t)
	in := Input{StackName: name, Mode: Execute, TemplateBody: []byte(motoTemplate(name, 10)), TerminationProtection: true}
	res, err := d.Deploy(context.Background(), in)
	if res == nil || res.StackStatus != "CREATE_COMPLETE" {
		t.Fatalf("create: %v, %+v", err, res)
	}
	if err != nil {
		if !strings.Contains(err.Error(), "enable termination protection on stack "+name) {
			t.Errorf("err = %v", err)
		}
		t.Logf("moto lacks UpdateTerminationProtection: %v", err)
		return
	}
	if !aws.ToBool(describe(t, c, name).Stacks[0].EnableTerminationProtection) {
		t.Errorf("termination protection not enabled")
	}
}
