package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/mototest"
)

// motoPlanConfig reads a Kinesis stream of moto's default account by its
// ARN (moto has no AWS::Kinesis::StreamConsumer, so no consumer).
const motoPlanConfig = `service: planmoto
provider:
  name: aws
  runtime: python3.12
  region: us-east-1
functions:
  worker:
    handler: index.handler
    events:
      - stream:
          type: kinesis
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/planmoto-orders
          batchSize: 100
          startingPosition: LATEST
`

// TestPlan_StackOnMoto deploys a stack whose mapping reads in batches of
// 10 to moto, then plans the config (batches of 100) against it with
// --stack's default name: one in-place change, read with GetTemplate.
func TestPlan_StackOnMoto(t *testing.T) {
	url := mototest.Start(t)
	tmp := t.TempDir()
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": filepath.Join(tmp, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(tmp, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	stage := fmt.Sprintf("t%d", time.Now().UnixNano()%1e6)
	dir := tempFiles(t, map[string]string{"serverless.yml": motoPlanConfig})
	plan := func() (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), Env{Args: []string{"plan", "--stage", stage, "--format", "json"}, Stdout: &out, Stderr: &errb,
			Dir: dir, Getenv: os.LookupEnv})
		return code, out.String(), errb.String()
	}

	// GIVEN no stack yet: every resource is new
	code, out, stderr := plan()
	if code != exit.OK || !strings.Contains(stderr, "stack planmoto-"+stage+" does not exist") || !strings.Contains(out, `"action": "add"`) {
		t.Fatalf("no stack: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}

	// WHEN the mapping is deployed with BatchSize 10
	id, mapping := compiledMapping(t, dir, stage)
	deployMotoStack(t, url, "planmoto-"+stage, id, mapping)
	code, out, stderr = plan()

	// THEN the plan modifies it in place
	if code != exit.OK || !strings.Contains(stderr, "comparing with stack planmoto-"+stage) {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	var entries []struct {
		LogicalID, Type, Action string
		Changes                 []struct {
			Property      string
			Before, After any
			Replacement   bool
		}
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	found := false
	for _, e := range entries {
		if e.Type != "AWS::Lambda::EventSourceMapping" {
			continue
		}
		found = true
		if e.Action != "modify" || len(e.Changes) != 1 || e.Changes[0].Property != "BatchSize" ||
			e.Changes[0].Before != float64(10) || e.Changes[0].After != float64(100) || e.Changes[0].Replacement {
			t.Errorf("mapping entry %+v", e)
		}
	}
	if !found {
		t.Errorf("no mapping entry:\n%s", out)
	}
}

// compiledMapping compiles the config and returns its mapping's logical ID
// and resource.
func compiledMapping(t *testing.T, dir, stage string) (string, map[string]any) {
	t.Helper()
	code, out, stderr := runIn(t, dir, "compile", "--mode", "serverless", "--stage", stage)
	if code != exit.OK {
		t.Fatalf("compile: exit %d: %s", code, stderr)
	}
	var tpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal([]byte(out), &tpl); err != nil {
		t.Fatal(err)
	}
	for id, r := range tpl.Resources {
		if r["Type"] == "AWS::Lambda::EventSourceMapping" {
			return id, r
		}
	}
	t.Fatalf("no mapping in\n%s", out)
	return "", nil
}

// deployMotoStack creates the stack: the stream, the function and its
// role, and the mapping with BatchSize 10.
func deployMotoStack(t *testing.T, url, stack string, id string, mapping map[string]any) {
	t.Helper()
	mapping["Properties"].(map[string]any)["BatchSize"] = 10
	mapping["DependsOn"] = []string{"Orders"} // the ARN is literal: create the stream first
	tpl := map[string]any{"Resources": map[string]any{
		"Orders": map[string]any{"Type": "AWS::Kinesis::Stream", "Properties": map[string]any{"Name": "planmoto-orders", "ShardCount": 1}},
		"IamRoleLambdaExecution": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"AssumeRolePolicyDocument": map[string]any{
			"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}}}},
		"WorkerLambdaFunction": map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{"FunctionName": stack + "-worker",
			"Runtime": "python3.12", "Handler": "index.handler", "Role": map[string]any{"Fn::GetAtt": []string{"IamRoleLambdaExecution", "Arn"}},
			"Code": map[string]any{"ZipFile": "def handler(e, c):\n  return None\n"}}},
		id: mapping,
	}}
	body, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	c := cloudformation.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")},
		func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(body))}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	w := cloudformation.NewStackCreateCompleteWaiter(c, func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)}, 30*time.Second); err != nil {
		t.Fatalf("stack %s: %v", stack, err)
	}
}
