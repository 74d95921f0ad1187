package cli

import (
	"context"
	"encoding/json"
	"fmt"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/mototest"
)

// motoServerlessResources are the resources of a Serverless stack, as in
// the config's resources: a table with a stream, a Kinesis stream, a queue,
// and a role without RoleName. NAME makes them unique in moto's shared
// state.
const motoServerlessResources = `
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: NAME-orders
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        StreamSpecification: {StreamViewType: NEW_IMAGE}
    Events:
      Type: AWS::Kinesis::Stream
      Properties: {Name: NAME-events, ShardCount: 1}
    Dlq:
      Type: AWS::SQS::Queue
      Properties: {QueueName: NAME-dlq}
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
`

// motoServerlessStack is what serverless deploy would have made of the
// config: the resources and the function.
const motoServerlessStack = `Resources:` + motoServerlessResources + `
    WorkerLambdaFunction:
      Type: AWS::Lambda::Function
      Properties:
        FunctionName: NAME-dev-worker
        Runtime: python3.12
        Handler: index.handler
        Role: {"Fn::GetAtt": [WorkerRole, Arn]}
        Code: {ZipFile: "def handler(e, c):\n  return None\n"}
`

const motoConfig = `service: NAME
provider:
  name: aws
  runtime: python3.12
  region: us-east-1
functions:
  worker:
    handler: index.handler
    role: WorkerRole
    events:
      - stream:
          type: dynamodb
          arn: !GetAtt OrdersTable.StreamArn
          startingPosition: LATEST
      - stream:
          type: kinesis
          arn: !GetAtt Events.Arn
          startingPosition: LATEST
          destinations:
            onFailure:
              arn: !GetAtt Dlq.Arn
              type: sqs
resources:
  Resources:` + motoServerlessResources

func motoConfigAWS(url string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
}

// createServerlessStack creates the Serverless stack in moto, as
// serverless deploy would.
func createServerlessStack(t *testing.T, cfg aws.Config, name string) {
	t.Helper()
	d := deploy.New(cloudformation.NewFromConfig(cfg), deploy.WithPollDelays(5*time.Millisecond, 50*time.Millisecond, 1.5))
	var tpl map[string]any
	if err := yaml.Unmarshal([]byte(strings.ReplaceAll(motoServerlessStack, "NAME", name)), &tpl); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(tpl)
	if _, err := d.Deploy(context.Background(), deploy.Input{StackName: name + "-dev", TemplateBody: body, Mode: deploy.Execute}); err != nil {
		t.Fatalf("create the Serverless stack: %v", err)
	}
}

// TestDeployCommand_Moto_ValuesFromServerlessStack deploys a config that
// references its Serverless stack's resources with no --parameter: the
// mappings must read the real ARNs and the policy land on the role
// CloudFormation named (issue 9).
func TestDeployCommand_Moto_ValuesFromServerlessStack(t *testing.T) {
	t.Parallel()
	url := mototest.URL(t)
	cfg := motoConfigAWS(url)
	name := fmt.Sprintf("sls%d", time.Now().UnixNano()%1e9)
	createServerlessStack(t, cfg, name)
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": strings.ReplaceAll(motoConfig, "NAME", name)})
	env := runnerEnv(t, ws)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "testing", "testing"
	env["AWS_ENDPOINT_URL"] = url
	env[pollIntervalEnv] = "5ms"

	r := run(t, ws, env, "deploy", "--mode", "execute")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	ctx := context.Background()
	table, err := dynamodb.NewFromConfig(cfg).DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name + "-orders")})
	if err != nil {
		t.Fatal(err)
	}
	streamARN := aws.ToString(table.Table.LatestStreamArn)
	kinesisARN := "arn:aws:kinesis:us-east-1:123456789012:stream/" + name + "-events"
	for _, want := range []string{
		"Parameter OrdersTableStreamArn = " + streamARN + " (from stack " + name + "-dev: Fn::GetAtt OrdersTable.StreamArn (DynamoDB DescribeTable LatestStreamArn))",
		"Parameter EventsArn = " + kinesisARN,
		"Parameter DlqArn = arn:aws:sqs:us-east-1:123456789012:" + name + "-dlq",
		"Parameter WorkerRole = " + name + "-dev-WorkerRole-",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	esms, err := lambda.NewFromConfig(cfg).ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(name + "-dev-worker")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range esms.EventSourceMappings {
		got[aws.ToString(m.EventSourceArn)] = true
	}
	if len(got) != 2 || !got[streamARN] || !got[kinesisARN] {
		t.Errorf("mappings read %v, want %s and %s", got, streamARN, kinesisARN)
	}
	res, err := cloudformation.NewFromConfig(cfg).DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{
		StackName: aws.String(name + "-dev"), LogicalResourceId: aws.String("WorkerRole")})
	if err != nil {
		t.Fatal(err)
	}
	role := aws.ToString(res.StackResourceDetail.PhysicalResourceId)
	pol, err := iam.NewFromConfig(cfg).GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name + "-dev-stream-events")})
	if err != nil {
		t.Fatalf("the stream policy is not on role %s: %v", role, err)
	}
	// IAM returns the document URL-encoded.
	if doc, _ := neturl.QueryUnescape(aws.ToString(pol.PolicyDocument)); !strings.Contains(doc, streamARN) || !strings.Contains(doc, kinesisARN) {
		t.Errorf("policy document: %s", doc)
	}
}
