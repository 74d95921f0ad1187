package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/mototest"
)

// preflightConfig is motoConfig with the worker's extra settings and
// events replaced; the first event is the one a finding must point at.
func preflightConfig(name, fnExtra, events string) string {
	return strings.ReplaceAll(`service: NAME
provider:
  name: aws
  runtime: python3.12
  region: us-east-1
functions:
  worker:
    handler: index.handler
    role: WorkerRole
`+fnExtra+`    events:
`+events+`resources:
  Resources:`+motoServerlessResources, "NAME", name)
}

// firstEventPos is "line:col" of the first stream event's settings, where
// the pre-flight reports.
func firstEventPos(config string) string {
	lines := strings.Split(config, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "- stream:" {
			next := lines[i+1]
			return fmt.Sprintf("%d:%d", i+2, len(next)-len(strings.TrimLeft(next, " "))+1)
		}
	}
	return "?"
}

const (
	kinesisEvent = "      - stream:\n          type: kinesis\n          arn: ARN\n          startingPosition: LATEST\n"
	dynamoEvent  = "      - stream:\n          type: dynamodb\n          arn: ARN\n          startingPosition: LATEST\n"
)

func streamEvent(kind, arn string) string {
	if kind == "kinesis" {
		return strings.Replace(kinesisEvent, "ARN", arn, 1)
	}
	return strings.Replace(dynamoEvent, "ARN", arn, 1)
}

// createStack creates a stack from a YAML template in moto.
func createStack(t *testing.T, cfg aws.Config, stack, tplYAML string) {
	t.Helper()
	d := deploy.New(cloudformation.NewFromConfig(cfg), deploy.WithPollDelays(5*time.Millisecond, 50*time.Millisecond, 1.5))
	var tpl map[string]any
	if err := yaml.Unmarshal([]byte(tplYAML), &tpl); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(tpl)
	if _, err := d.Deploy(context.Background(), deploy.Input{StackName: stack, TemplateBody: body, Mode: deploy.Execute}); err != nil {
		t.Fatalf("create stack %s: %v", stack, err)
	}
}

// extraFunction is a function of the Serverless stack with a mapping on
// the orders table's stream.
const extraFunction = `
    FNLambdaFunction:
      Type: AWS::Lambda::Function
      Properties:
        FunctionName: NAME-dev-FN
        Runtime: python3.12
        Handler: index.handler
        Role: {"Fn::GetAtt": [WorkerRole, Arn]}
        Code: {ZipFile: "def handler(e, c):\n  return None\n"}
    FNMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: {Ref: FNLambdaFunction}
        EventSourceArn: {"Fn::GetAtt": [OrdersTable, StreamArn]}
        StartingPosition: LATEST
`

func motoDeployEnv(t *testing.T, ws, url string) map[string]string {
	env := runnerEnv(t, ws)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "testing", "testing"
	env["AWS_ENDPOINT_URL"] = url
	env[pollIntervalEnv] = "5ms"
	return env
}

// TestPreflight_Moto refuses, before any change set, every problem the
// pre-flight knows, each at its stream event (issue 9 item 2); no stack
// is created. moto allows a second mapping for a function and source, so
// the pre-flight is the only guard against one there.
func TestPreflight_Moto(t *testing.T) {
	t.Parallel()
	url := mototest.URL(t)
	cfg := motoConfigAWS(url)
	const acct = "arn:aws:%s:us-east-1:123456789012:"
	tests := map[string]struct {
		fnExtra, events string
		stackExtra      string                              // more resources of the Serverless stack
		setup           func(t *testing.T, name string) any // returns a value for want's %v
		rule, want      string
		warning         bool
	}{
		"function missing": {fnExtra: "    name: NAME-ghost\n", events: streamEvent("kinesis", "!GetAtt Events.Arn"),
			rule: "preflight-function", want: "function NAME-ghost does not exist"},
		"alias missing": {fnExtra: "    provisionedConcurrency: 1\n", events: streamEvent("kinesis", "!GetAtt Events.Arn"),
			rule: "preflight-function", want: "function NAME-dev-worker has no alias provisioned"},
		"Kinesis stream missing": {events: streamEvent("kinesis", fmt.Sprintf(acct, "kinesis")+"stream/NAME-nope"),
			rule: "preflight-source", want: "Kinesis stream arn:aws:kinesis:us-east-1:123456789012:stream/NAME-nope does not exist"},
		"table without a stream": {events: streamEvent("dynamodb", fmt.Sprintf(acct, "dynamodb")+"table/NAME-plain/stream/2020-01-01T00:00:00.000"),
			setup: func(t *testing.T, name string) any {
				_, err := dynamodb.NewFromConfig(cfg).CreateTable(context.Background(), &dynamodb.CreateTableInput{TableName: aws.String(name + "-plain"),
					BillingMode:          ddbtypes.BillingModePayPerRequest,
					AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
					KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}}})
				if err != nil {
					t.Fatal(err)
				}
				return nil
			},
			rule: "preflight-source", want: "DynamoDB table NAME-plain has no enabled stream"},
		"stale stream label": {events: streamEvent("dynamodb", fmt.Sprintf(acct, "dynamodb")+"table/NAME-orders/stream/2020-01-01T00:00:00.000"),
			setup: func(t *testing.T, name string) any { return currentStream(t, cfg, name) },
			rule:  "preflight-source", want: "is not the current stream of table NAME-orders (a stale label, e.g. after the table was re-created); its current stream is %v"},
		"role missing": {events: streamEvent("kinesis", "!GetAtt Events.Arn"), fnExtra: "",
			rule: "preflight-role", want: "the execution role NAME-nope of function NAME-dev-worker does not exist"},
		"queue missing": {events: streamEvent("kinesis", "!GetAtt Events.Arn") + "          destinations:\n            onFailure:\n              arn: " + fmt.Sprintf(acct, "sqs") + "NAME-nope\n              type: sqs\n",
			rule: "preflight-destination", want: "the onFailure destination arn:aws:sqs:us-east-1:123456789012:NAME-nope does not exist"},
		"topic missing": {events: streamEvent("kinesis", "!GetAtt Events.Arn") + "          destinations:\n            onFailure:\n              arn: " + fmt.Sprintf(acct, "sns") + "NAME-nope\n              type: sns\n",
			rule: "preflight-destination", want: "the onFailure destination arn:aws:sns:us-east-1:123456789012:NAME-nope does not exist"},
		"mapping of the Serverless stack": {events: streamEvent("kinesis", "!GetAtt Events.Arn"),
			stackExtra: `
    WorkerEventsMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: {Ref: WorkerLambdaFunction}
        EventSourceArn: {"Fn::GetAtt": [Events, Arn]}
        StartingPosition: LATEST
`,
			rule: "preflight-mapping-exists", want: "owner: the Serverless stack NAME-dev (WorkerEventsMapping)"},
		"mapping not managed by CloudFormation": {events: streamEvent("kinesis", "!GetAtt Events.Arn"),
			setup: func(t *testing.T, name string) any {
				out, err := lambda.NewFromConfig(cfg).CreateEventSourceMapping(context.Background(), &lambda.CreateEventSourceMappingInput{
					FunctionName: aws.String(name + "-dev-worker"), EventSourceArn: aws.String(fmt.Sprintf(acct, "kinesis") + "stream/" + name + "-events"),
					StartingPosition: "LATEST"})
				if err != nil {
					t.Fatal(err)
				}
				return aws.ToString(out.UUID)
			},
			rule: "preflight-mapping-exists", want: "UUID %v, state Enabled, owner: not managed by CloudFormation"},
		"three readers of a DynamoDB stream": {events: streamEvent("dynamodb", "!GetAtt OrdersTable.StreamArn"),
			stackExtra: strings.ReplaceAll(extraFunction, "FN", "audit") + strings.ReplaceAll(extraFunction, "FN", "search"),
			rule:       "preflight-readers", warning: true,
			want:  "3 functions would read DynamoDB stream %v (NAME-dev-audit, NAME-dev-search, NAME-dev-worker)",
			setup: func(t *testing.T, name string) any { return currentStream(t, cfg, name) }},
	}
	for tn, tc := range tests {
		t.Run(tn, func(t *testing.T) {
			t.Parallel()
			name := fmt.Sprintf("pf%d", time.Now().UnixNano()%1e9)
			createStack(t, cfg, name+"-dev", strings.ReplaceAll(motoServerlessStack+tc.stackExtra, "NAME", name))
			var arg any
			if tc.setup != nil {
				arg = tc.setup(t, name)
			}
			config := preflightConfig(name, tc.fnExtra, tc.events)
			if tn == "role missing" {
				config = strings.Replace(config, "role: WorkerRole", "role: arn:aws:iam::123456789012:role/"+name+"-nope", 1)
			}
			ws := t.TempDir()
			writeFiles(t, ws, map[string]string{"serverless.yml": config})
			r := run(t, ws, motoDeployEnv(t, ws, url), "deploy", "--mode", "preview")
			want := strings.ReplaceAll(tc.want, "NAME", name)
			if strings.Contains(want, "%v") {
				want = fmt.Sprintf(want, arg)
			}
			line := regexp.MustCompile(`(?m)^serverless\.yml:` + firstEventPos(config) + `: .*` + regexp.QuoteMeta(want) + `.*\[` + tc.rule + `\]$`)
			if !line.MatchString(r.stderr) {
				t.Errorf("stderr lacks, at %s: %s [%s]:\n%s", firstEventPos(config), want, tc.rule, r.stderr)
			}
			if tc.warning {
				if r.code != 0 {
					t.Errorf("exit %d, want 0 for a warning\n%s", r.code, r.stderr)
				}
				return
			}
			if r.code != 1 {
				t.Errorf("exit %d, want 1\n%s", r.code, r.stderr)
			}
			if _, err := cloudformation.NewFromConfig(cfg).DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name + "-dev-streams")}); err == nil {
				t.Errorf("stack %s-dev-streams was created", name)
			}
		})
	}
}

func currentStream(t *testing.T, cfg aws.Config, name string) string {
	t.Helper()
	out, err := dynamodb.NewFromConfig(cfg).DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name + "-orders")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Table.LatestStreamArn)
}

// TestPreflight_Moto_MoveMappings follows "Moving existing mappings" in
// docs/deploy.md: the Serverless stack owns the mapping, the stream stack's
// deploy is refused by the pre-flight, the Serverless stack is deployed
// without the event, then the stream stack: exactly one mapping is left,
// the stream stack's, and a new preview passes the pre-flight.
func TestPreflight_Moto_MoveMappings(t *testing.T) {
	t.Parallel()
	url := mototest.URL(t)
	cfg := motoConfigAWS(url)
	ctx := context.Background()
	name := fmt.Sprintf("mv%d", time.Now().UnixNano()%1e9)
	const owned = `
    WorkerEventsMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: {Ref: WorkerLambdaFunction}
        EventSourceArn: {"Fn::GetAtt": [Events, Arn]}
        StartingPosition: LATEST
`
	// GIVEN the mapping serverless deploy made, and the stream stack's config
	createStack(t, cfg, name+"-dev", strings.ReplaceAll(motoServerlessStack+owned, "NAME", name))
	source := "arn:aws:kinesis:us-east-1:123456789012:stream/" + name + "-events"
	config := preflightConfig(name, "", "      - stream:\n          type: kinesis\n          arn: !GetAtt Events.Arn\n          startingPosition: TRIM_HORIZON\n")
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": config})
	env := motoDeployEnv(t, ws, url)
	mappings := func() []string {
		out, err := lambda.NewFromConfig(cfg).ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{
			FunctionName: aws.String(name + "-dev-worker"), EventSourceArn: aws.String(source)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range out.EventSourceMappings {
			ids = append(ids, aws.ToString(m.UUID))
		}
		return ids
	}
	before := mappings()
	if len(before) != 1 {
		t.Fatalf("before: %v", before)
	}

	// WHEN the stream stack deploys first, the pre-flight refuses the overlap
	r := run(t, ws, env, "deploy", "--mode", "execute")
	if r.code != 1 || !strings.Contains(r.stderr, "UUID "+before[0]+", state Enabled, owner: the Serverless stack "+name+"-dev (WorkerEventsMapping)") {
		t.Fatalf("overlap: exit %d\n%s", r.code, r.stderr)
	}

	// THEN in the documented order: serverless deploy without the event...
	createStack(t, cfg, name+"-dev", strings.ReplaceAll(motoServerlessStack, "NAME", name))
	if got := mappings(); len(got) != 0 {
		t.Fatalf("the Serverless stack's update left %v", got)
	}
	// ...then the stream stack
	if r = run(t, ws, env, "deploy", "--mode", "execute"); r.code != 0 {
		t.Fatalf("stream stack: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	after := mappings()
	// (moto leaves the stack's outputs out: the resource's physical ID is the UUID the output gives)
	res, err := cloudformation.NewFromConfig(cfg).DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{
		StackName: aws.String(name + "-dev-streams"), LogicalResourceId: aws.String("WorkerEventSourceMappingKinesisEvents")})
	if err != nil {
		t.Fatal(err)
	}
	if uuid := aws.ToString(res.StackResourceDetail.PhysicalResourceId); len(after) != 1 || after[0] != uuid || after[0] == before[0] {
		t.Fatalf("after: mappings %v, the stream stack's %s (before %v)", after, uuid, before)
	}
	// and a new preview passes the pre-flight: this stack owns the mapping
	if r = run(t, ws, env, "deploy", "--mode", "preview"); r.code != 0 || strings.Contains(r.stderr, "preflight-") {
		t.Fatalf("preview after the move: exit %d\n%s", r.code, r.stderr)
	}
}
