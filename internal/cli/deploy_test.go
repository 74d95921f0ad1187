package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/deploy/cfntest"
	"github.com/stream-events/stream-events/internal/exit"
)

// shopConfig reads its stream from a table of the Serverless stack, so
// the standalone template has a parameter for it.
const shopConfig = `service: shop
provider:
  name: aws
  runtime: nodejs18.x
  region: eu-west-1
functions:
  worker:
    handler: handler.main
    events:
      - stream:
          type: dynamodb
          arn: !GetAtt OrdersTable.StreamArn
          batchSize: 50
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: orders
        StreamSpecification:
          StreamViewType: NEW_AND_OLD_IMAGES
`

const shopStreamArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000"

// deployEnv is the runner's environment plus fake static credentials and
// CloudFormation at cfn.
func deployEnv(t *testing.T, ws string, cfn *cfntest.Server) map[string]string {
	env := runnerEnv(t, ws)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIAIOSFODNN7EXAMPLE", "dummy/secret/key/for/tests/only/0123456789"
	env["AWS_ENDPOINT_URL_CLOUDFORMATION"] = cfn.URL
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" // every other AWS service is unreachable
	env[pollIntervalEnv] = "2ms"
	input(env, "preflight", "false") // the fake speaks only CloudFormation; preflight_test.go covers the pre-flight
	return env
}

// event writes an event payload and points the environment at it.
func event(t *testing.T, env map[string]string, name, ref string) {
	p := filepath.Join(t.TempDir(), "event.json")
	writeFiles(t, filepath.Dir(p), map[string]string{"event.json": `{"repository": {"default_branch": "main"}}`})
	env["GITHUB_EVENT_NAME"], env["GITHUB_EVENT_PATH"], env["GITHUB_REF"] = name, p, ref
}

func shopWorkspace(t *testing.T) string {
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": shopConfig})
	return ws
}

func TestAction_DeployAutoPreviewsPullRequests(t *testing.T) {
	t.Parallel()
	// GIVEN a pull request and deploy: auto
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	env := deployEnv(t, ws, cfn)
	event(t, env, "pull_request", "refs/pull/7/merge")
	input(env, "deploy", "auto")
	input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
	input(env, "tags", "team: payments\nenv: prod")
	input(env, "artifact-name", "")
	// WHEN
	r := run(t, ws, env, "action")
	// THEN a change set is created, described, and deleted again
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	var changes []deploy.Change
	if err := json.Unmarshal([]byte(out["changes"]), &changes); err != nil || len(changes) != 2 {
		t.Fatalf("changes = %s (%v)", out["changes"], err)
	}
	if out["has-changes"] != "true" || !strings.Contains(out["change-set-id"], ":changeSet/") {
		t.Errorf("has-changes %q change-set-id %q", out["has-changes"], out["change-set-id"])
	}
	creates := cfn.Requests("CreateChangeSet")
	if len(creates) != 1 || !strings.Contains(creates[0], "StackName=shop-dev-streams") ||
		!strings.Contains(creates[0], "Tags.member.1.Key=team") || !strings.Contains(creates[0], "Tags.member.2.Value=prod") {
		t.Errorf("CreateChangeSet requests: %q", creates)
	}
	if cfn.ChangeSets() != 0 || len(cfn.Requests("ExecuteChangeSet")) != 0 {
		t.Errorf("preview left %d change sets, executed %d", cfn.ChangeSets(), len(cfn.Requests("ExecuteChangeSet")))
	}
	sum := readFile(t, env["GITHUB_STEP_SUMMARY"])
	if !strings.Contains(sum, "**Preview** of stack `shop-dev-streams` (new stack): 2 change(s)") ||
		!strings.Contains(sum, "| Add | `WorkerEventSourceMappingDynamodbOrdersTable` |") {
		t.Errorf("summary:\n%s", sum)
	}
	if !regexp.MustCompile(`(?m)^Add\s+WorkerEventSourceMappingDynamodbOrdersTable\s+AWS::Lambda::EventSourceMapping`).MatchString(r.stdout) {
		t.Errorf("no change table in the log:\n%s", r.stdout)
	}
}

func TestAction_DeployAutoExecutesOnTheDefaultBranch(t *testing.T) {
	t.Parallel()
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	env := deployEnv(t, ws, cfn)
	event(t, env, "push", "refs/heads/main")
	input(env, "deploy", "auto")
	input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
	input(env, "artifact-name", "")
	r := run(t, ws, env, "action")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	key := "WorkerEventSourceMappingDynamodbOrdersTableUuid"
	if out["stack-status"] != "CREATE_COMPLETE" || !strings.Contains(out["stack-id"], ":stack/shop-dev-streams/") || out[key] != "value-of-"+key {
		t.Errorf("outputs: %v", out)
	}
	if status, _, _ := cfn.Stack("shop-dev-streams"); status != "CREATE_COMPLETE" {
		t.Errorf("stack status %s", status)
	}
	if !strings.Contains(r.stdout, "::group::") || !regexp.MustCompile(`(?m)CREATE_COMPLETE\s+AWS::Lambda::EventSourceMapping`).MatchString(r.stdout) {
		t.Errorf("stack events not streamed:\n%s", r.stdout)
	}
	if !strings.Contains(readFile(t, env["GITHUB_STEP_SUMMARY"]), "**Deployed** stack `shop-dev-streams`: `CREATE_COMPLETE`") {
		t.Errorf("summary lacks the deploy result")
	}
}

func TestAction_DeployAutoSkipsOtherEvents(t *testing.T) {
	t.Parallel()
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	env := deployEnv(t, ws, cfn)
	event(t, env, "push", "refs/heads/feature")
	input(env, "deploy", "auto")
	input(env, "artifact-name", "")
	r := run(t, ws, env, "action")
	// plan: auto reads the deployed template; nothing else may be called.
	reqs := cfn.Requests()
	if r.code != 0 || len(reqs) != len(cfn.Requests("GetTemplate")) || !strings.Contains(r.stdout, "deploy: auto: not deploying") {
		t.Errorf("exit %d, CloudFormation requests %q\n%s", r.code, reqs, r.stdout)
	}
}

func TestAction_DeployFailureAnnotatesTheCause(t *testing.T) {
	t.Parallel()
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	const reason = "Resource handler returned message: \"Cannot access stream\"\n::warning::injected"
	cfn.FailResource("WorkerEventSourceMappingDynamodbOrdersTable", reason)
	env := deployEnv(t, ws, cfn)
	input(env, "deploy", "execute")
	input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
	input(env, "artifact-name", "")
	r := run(t, ws, env, "action")
	if r.code == 0 {
		t.Fatalf("a failed deploy exited 0\n%s", r.stdout)
	}
	if !regexp.MustCompile(`(?m)^::error title=WorkerEventSourceMappingDynamodbOrdersTable CREATE_FAILED::.*Cannot access stream"%0A::warning::injected`).MatchString(r.stdout) {
		t.Errorf("no escaped failure annotation:\n%s", r.stdout)
	}
	if regexp.MustCompile(`(?m)^\s*::warning::injected`).MatchString(r.stdout) {
		t.Errorf("a CloudFormation reason issued a workflow command:\n%s", r.stdout)
	}
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	if out["stack-status"] != "ROLLBACK_COMPLETE" {
		t.Errorf("stack-status = %q", out["stack-status"])
	}
	if !strings.Contains(readFile(t, env["GITHUB_STEP_SUMMARY"]), "**Deploy failed** for stack `shop-dev-streams`") {
		t.Error("summary lacks the failure")
	}
}

func TestAction_DeployRefusesErrorFindings(t *testing.T) {
	t.Parallel()
	ws, cfn := t.TempDir(), cfntest.NewServer(t)
	writeFiles(t, ws, map[string]string{"serverless.yml": caseConfig(t, "60-warn-out-of-range")})
	env := deployEnv(t, ws, cfn)
	input(env, "deploy", "execute")
	input(env, "fail-on", "never")
	input(env, "artifact-name", "")
	r := run(t, ws, env, "action")
	if r.code != exit.Findings || len(cfn.Requests("CreateChangeSet")) != 0 ||
		!strings.Contains(r.stdout, "serverless.yml has 9 error finding(s); fix them before deploying") {
		t.Errorf("exit %d, requests %q\n%s", r.code, cfn.Requests(), r.stdout)
	}
}

func TestDeployCommand_Preview(t *testing.T) {
	t.Parallel()
	// GIVEN a stack deployed before with a smaller batch size
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	env := deployEnv(t, ws, cfn)
	prev := strings.Replace(shopConfig, "batchSize: 50", "batchSize: 10", 1)
	writeFiles(t, ws, map[string]string{"old.yml": prev})
	old := run(t, ws, env, "compile", "-c", "old.yml")
	var tpl map[string]any
	if err := json.Unmarshal([]byte(old.stdout), &tpl); err != nil {
		t.Fatalf("compile: %v\n%s", err, old.stderr)
	}
	tpl["Parameters"].(map[string]any)["OrdersTableStreamArn"].(map[string]any)["Default"] = shopStreamArn
	body, _ := json.Marshal(tpl)
	cfn.AddStack("orders-streams", "CREATE_COMPLETE", string(body))
	// WHEN
	r := run(t, ws, env, "deploy", "--no-preflight", "--mode", "preview", "--stack-name", "orders-streams",
		"--parameter", "OrdersTableStreamArn="+shopStreamArn, "--tag", "team=payments")
	// THEN the change table shows the one modification; nothing executes
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !regexp.MustCompile(`(?m)^Modify\s+WorkerEventSourceMappingDynamodbOrdersTable\s+AWS::Lambda::EventSourceMapping\s+False`).MatchString(r.stdout) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if len(cfn.Requests("ExecuteChangeSet")) != 0 || len(cfn.Requests("DeleteChangeSet")) != 1 {
		t.Errorf("requests: %q", cfn.Requests())
	}
}

// TestDeployCommand_ParameterFromStack covers how deploy finds the values
// of the template's parameters in the Serverless stack, and each way it
// can fail before any change set (issue 9).
func TestDeployCommand_ParameterFromStack(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		seed     func(cfn *cfntest.Server)
		args     []string
		wantCode int
		want     string // in stderr
	}{
		"no Serverless stack is a finding at the reference naming the stack": {
			wantCode: exit.Findings,
			want:     "serverless.yml:12:16: error: no value for template parameter OrdersTableStreamArn: Fn::GetAtt OrdersTable.StreamArn: the Serverless stack shop-dev does not exist in eu-west-1",
		},
		"--serverless-stack names the stack looked in": {
			args:     []string{"--serverless-stack", "shop-prod"},
			wantCode: exit.Findings,
			want:     "the Serverless stack shop-prod does not exist",
		},
		"a stack without the resource is a finding": {
			seed: func(cfn *cfntest.Server) {
				cfn.AddStack("shop-dev", "UPDATE_COMPLETE", `{"Resources": {}}`)
				cfn.SetResources("shop-dev", cfntest.Resource{LogicalID: "Other", Type: "AWS::SQS::Queue", PhysicalID: "https://sqs/1/q"})
			},
			wantCode: exit.Findings,
			want:     "OrdersTable is not a resource of the Serverless stack shop-dev in eu-west-1",
		},
		"AccessDenied names the IAM action and exits 3": {
			seed: func(cfn *cfntest.Server) {
				cfn.Inject("DescribeStackResources", cfntest.Fault{Status: 403, Code: "AccessDenied", Message: "not authorized to perform: cloudformation:DescribeStackResources"})
			},
			wantCode: exit.IO,
			want:     "the credentials may not call cloudformation:DescribeStackResources (the resources of the Serverless stack shop-dev)",
		},
		"throttling past the retries exits 3": {
			seed: func(cfn *cfntest.Server) {
				cfn.Inject("DescribeStackResources", cfntest.Repeat(10, cfntest.Fault{Status: 400, Code: "Throttling", Message: "Rate exceeded"})...)
			},
			wantCode: exit.IO,
			want:     "cloudformation:DescribeStackResources (the resources of the Serverless stack shop-dev)",
		},
		"an empty --parameter is refused": {
			args:     []string{"--parameter", "OrdersTableStreamArn="},
			wantCode: exit.Usage,
			want:     `--parameter gives template parameter "OrdersTableStreamArn" an empty value`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
			if tc.seed != nil {
				tc.seed(cfn)
			}
			r := run(t, ws, deployEnv(t, ws, cfn), append([]string{"deploy", "--no-preflight"}, tc.args...)...)
			if r.code != tc.wantCode || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want %d with %q:\n%s", r.code, tc.wantCode, tc.want, r.stderr)
			}
			if n := len(cfn.Requests("CreateChangeSet")); n != 0 {
				t.Errorf("%d change set(s) created", n)
			}
		})
	}
}

// TestDeployCommand_PreviewNewStack: the preview of a stack that does not
// exist says so, where it printed "Stack ...: -".
func TestDeployCommand_PreviewNewStack(t *testing.T) {
	t.Parallel()
	ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
	r := run(t, ws, deployEnv(t, ws, cfn), "deploy", "--mode", "preview", "--stack-name", "orders-streams", "--no-preflight",
		"--parameter", "OrdersTableStreamArn="+shopStreamArn)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	last := strings.TrimSpace(r.stdout)
	last = last[strings.LastIndexByte(last, '\n')+1:]
	if last != "Stack orders-streams: does not exist yet (executing this change set creates it)" {
		t.Errorf("last line %q; stdout:\n%s", last, r.stdout)
	}
}

// TestDeployCommand_WithoutCredentials: with no AWS credentials at all,
// deploy says what is missing (exit 3) instead of the SDK's last attempt
// (the instance metadata service), and calls nothing.
func TestDeployCommand_WithoutCredentials(t *testing.T) {
	t.Parallel()
	ws := shopWorkspace(t)
	env := map[string]string{"HOME": t.TempDir(), "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
		"AWS_CONFIG_FILE": filepath.Join(ws, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(ws, "no-credentials")}
	r := run(t, ws, env, "deploy", "--parameter", "OrdersTableStreamArn="+shopStreamArn)
	want := "no AWS credentials to deploy stack shop-dev-streams in eu-west-1: set AWS_PROFILE"
	if r.code != exit.IO || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "IMDS") {
		t.Errorf("exit %d, want %d and %q:\n%s", r.code, exit.IO, want, r.stderr)
	}
}
