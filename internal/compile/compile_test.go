package compile

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

func TestNaming(t *testing.T) {
	tests := []struct{ got, want string }{
		{StreamLogicalID("my-func_x", "kinesis", "some-long-name"), "MyDashfuncUnderscorexEventSourceMappingKinesisSomelongname"},
		{StreamLogicalID("f", "dynamodb", "shared-infra-ClickStreamArn"), "FEventSourceMappingDynamodbSharedinfraClickStreamArn"},
		{ConsumerName("process-telemetry", "device-telemetry", "svc", "dev", false), "process-telemetrydevice-telemetryConsumer"},
		{ConsumerName("f", "s", "svc", "prod", true), "fssvcprodConsumer"},
		{ConsumerLogicalID("sessionize" + "clicks.v2Consumer"), "Sessionizeclicks.v2ConsumerStreamConsumer"},
		{ConsumerLogicalID("a-b_cConsumer"), "ADashbUnderscorecConsumerStreamConsumer"},
		{AliasLogicalID("my-fn", ProvisionedAlias), "MyDashfnProvConcLambdaAlias"},
		{AliasLogicalID("fn", SnapStartAlias), "FnSnapStartLambdaAlias"},
		{AlphaNumeric("éx-1"), "X1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestAjvNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"100", 100, true}, {" 7 ", 7, true}, {"0x10", 16, true}, {"1e3", 1000, true}, {"-1", -1, true},
		{"2.50", 2.5, true}, {"", 0, false}, {"  ", 0, true}, {"ten", 0, false}, {"1_000", 0, false},
		{"Infinity", math.Inf(1), true}, {".5", 0.5, true}, {"5.", 5, true},
		{"0xFFFFFFFFFFFFFFFFF", 2.9514790517935283e20, true}, // Number() does not stop at 64 bits
	}
	for _, tt := range tests {
		got, ok := AjvNumber(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("AjvNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func parse(t *testing.T, src string) *Service {
	t.Helper()
	root, fs := yamlsrc.Parse("serverless.yml", []byte(src))
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	svc, lf := Load(root, "dev", "us-east-1")
	if lf.HasErrors() {
		t.Fatal(lf)
	}
	return svc
}

// TestCoercion checks ajv's coerceTypes rewrites on the values compilation
// reads (behaviour guide, quirks 1, 2 and 5).
func TestCoercion(t *testing.T) {
	svc := parse(t, `
service: s
functions:
  f:
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:1:stream/a
          batchSize: '100'
          enabled: 'false'
          batchWindow: ' 7 '
          maximumRetryAttempts: '2.5'
          bisectBatchOnFunctionError: 0
          consumer: false
          startingPositionTimestamp: '1700000000'
`)
	e := svc.Functions[0].Events[0]
	checks := map[string]string{
		"batchSize": "100", "enabled": "false", "batchWindow": "7", "maximumRetryAttempts": `"2.5"`,
		"bisectBatchOnFunctionError": "false", "consumer": `"false"`, "startingPositionTimestamp": "1700000000",
	}
	for k, want := range checks {
		if got := e.Get(k).Stringify(); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
}

func TestCompileErrorsArePositioned(t *testing.T) {
	tests := []struct {
		name, yaml string
		line, col  int
	}{
		{"intrinsic arn without type", "      - stream:\n          arn: !GetAtt T.StreamArn\n", 7, 16},
		{"arn without slash", "      - stream: arn:aws:kinesis:us-east-1:1:stream\n", 6, 17},
		{"no arn", "      - stream:\n          batchSize: 1\n", 7, 11},
		{"destinations without onFailure", "      - stream:\n          arn: arn:aws:sqs:us-east-1:1:q/x\n          destinations: {}\n", 8, 25},
		{"onFailure intrinsic without type", "      - stream:\n          arn: arn:aws:kinesis:r:1:stream/s\n          destinations:\n            onFailure:\n              arn: !Ref Q\n", 10, 20},
		{"join with object last", "      - stream:\n          type: kinesis\n          arn: {'Fn::Join': ['/', [a, {Ref: X}]]}\n", 8, 39},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := parse(t, "service: s\nfunctions:\n  f:\n    handler: h\n    events:\n"+tt.yaml)
			res := Compile(svc)
			if len(res.Findings) != 1 {
				t.Fatalf("findings = %v", res.Findings)
			}
			f := res.Findings[0]
			if f.Range.Start.Line != tt.line || f.Range.Start.Col != tt.col {
				t.Errorf("at %d:%d, want %d:%d: %s", f.Range.Start.Line, f.Range.Start.Col, tt.line, tt.col, f)
			}
		})
	}
}

func TestLodashMergeCollision(t *testing.T) {
	// Quirk 3: the same stream twice on one function merges into one mapping
	// whose arrays merge index by index.
	svc := parse(t, `
service: s
functions:
  f:
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:1:stream/a
          parallelizationFactor: 3
          filterPatterns: [{data: {k: [android]}}, {data: {k: [ios]}}]
      - stream:
          arn: arn:aws:kinesis:eu-west-1:1:stream/a
          batchSize: 5
          filterPatterns: [{data: {k: [refund]}}]
`)
	res := Compile(svc)
	if len(res.Resources.Pairs) != 1 {
		t.Fatalf("want one merged resource, got %d", len(res.Resources.Pairs))
	}
	p := res.Resources.Pairs[0].Value.Get("Properties")
	want := `{"BatchSize":5,"Enabled":true,"EventSourceArn":"arn:aws:kinesis:eu-west-1:1:stream/a","FunctionName":{"Fn::GetAtt":["FLambdaFunction","Arn"]},"ParallelizationFactor":3,"StartingPosition":"TRIM_HORIZON","FilterCriteria":{"Filters":[{"Pattern":"{\"data\":{\"k\":[\"refund\"]}}"},{"Pattern":"{\"data\":{\"k\":[\"ios\"]}}"}]}}`
	if got := p.Stringify(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if n := len(res.Statements[0].Get("Resource").Items); n != 2 {
		t.Errorf("statement lists %d ARNs, want both", n)
	}
}

func renderStandalone(t *testing.T, src string, o StandaloneOptions) (string, []string) {
	t.Helper()
	res := Compile(parse(t, src))
	tpl, fs := Standalone(res, o)
	var msgs []string
	for _, f := range append(res.Findings, fs...) {
		msgs = append(msgs, f.String())
	}
	return tpl.Stringify(), msgs
}

func TestStandaloneRoles(t *testing.T) {
	event := "    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"
	tests := []struct {
		name, src, role, finding string
		o                        StandaloneOptions
	}{
		{"default role", "service: svc\nfunctions:\n  f:\n" + event, `"Roles":["svc-dev-us-east-1-lambdaRole"]`, "", StandaloneOptions{}},
		{"provider role name", "service: svc\nprovider: {iam: {role: {name: custom-role}}}\nfunctions:\n  f:\n" + event, `"Roles":["custom-role"]`, "", StandaloneOptions{}},
		{"role ARN with a path", "service: svc\nfunctions:\n  f:\n    role: arn:aws:iam::123456789012:role/team/app-role\n" + event, `"Roles":["app-role"]`, "", StandaloneOptions{}},
		{"role defined in resources", "service: svc\nfunctions:\n  f:\n    role: MyRole\n" + event + "resources:\n  Resources:\n    MyRole:\n      Type: AWS::IAM::Role\n      Properties: {RoleName: my-role}\n", `"Roles":["my-role"]`, "", StandaloneOptions{}},
		{"per-function plugin role", "service: svc\nplugins: [serverless-iam-roles-per-function]\nfunctions:\n  f:\n    iamRoleStatements: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]\n" + event, `"Roles":["svc-dev-f-us-east-1-lambdaRole"]`, "", StandaloneOptions{}},
		{"plugin role with a custom name", "service: svc\nplugins: [serverless-iam-roles-per-function]\nfunctions:\n  f:\n    iamRoleStatementsName: f-role\n    iamRoleStatements: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]\n" + event, `"Roles":["f-role"]`, "", StandaloneOptions{}},
		{"role of another stack", "service: svc\nprovider: {iam: {role: SharedRole}}\nfunctions:\n  f:\n" + event, "", `serverless.yml:2:24: the execution role "SharedRole" is a logical ID of another stack`, StandaloneOptions{}},
		{"--role-name wins", "service: svc\nprovider: {iam: {role: SharedRole}}\nfunctions:\n  f:\n" + event, `"Roles":["ops-role"]`, "", StandaloneOptions{RoleName: "ops-role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := renderStandalone(t, tt.src, tt.o)
			if tt.finding != "" {
				if len(fs) != 1 || !strings.HasPrefix(fs[0], tt.finding) {
					t.Fatalf("findings %v, want %q", fs, tt.finding)
				}
				return
			}
			if len(fs) > 0 || !strings.Contains(got, tt.role) {
				t.Errorf("findings %v; template %s lacks %s", fs, got, tt.role)
			}
		})
	}
}

func TestStandaloneTargetsAndParameters(t *testing.T) {
	got, fs := renderStandalone(t, `
service: svc
functions:
  f:
    name: custom-name
    provisionedConcurrency: 2
    events:
      - stream: {type: dynamodb, arn: !GetAtt Orders.StreamArn}
      - stream: {type: kinesis, arn: arn:aws:kinesis:us-east-1:123456789012:stream/s, consumer: true}
`, StandaloneOptions{})
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	for _, want := range []string{
		`"FunctionName":"custom-name:provisioned"`,
		`"Parameters":{"OrdersStreamArn":{"Type":"String"`,
		`"EventSourceArn":{"Ref":"OrdersStreamArn"}`,
		`"DependsOn":["StreamEventsPolicySvcdevuseast1lambdaRole","FsConsumerStreamConsumer"]`,
		`"FEventSourceMappingKinesisSUuid":{"Description"`,
		`"FsConsumerStreamConsumerArn":{"Description"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("template lacks %s:\n%s", want, got)
		}
	}
}

func TestStandaloneRefusesCollisions(t *testing.T) {
	_, fs := renderStandalone(t, `
service: svc
functions:
  f:
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s
      - stream: arn:aws:kinesis:eu-west-1:123456789012:stream/s
`, StandaloneOptions{})
	if len(fs) != 1 || !strings.Contains(fs[0], "serverless.yml:7:17: this event compiles to logical ID \"FEventSourceMappingKinesisS\" like the event at line 6") {
		t.Errorf("findings %v", fs)
	}
}

func TestStandalonePseudoParameters(t *testing.T) {
	src := `
service: svc
plugins: [serverless-pseudo-parameters]
functions:
  f:
    events:
      - stream: arn:aws:kinesis:#{AWS::Region}:#{AWS::AccountId}:stream/s
`
	got, fs := renderStandalone(t, src, StandaloneOptions{})
	if len(fs) > 0 || !strings.Contains(got, `"EventSourceArn":{"Fn::Sub":"arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s"}`) {
		t.Errorf("findings %v\n%s", fs, got)
	}
	_, fs = renderStandalone(t, strings.Replace(src, "plugins: [serverless-pseudo-parameters]\n", "", 1), StandaloneOptions{})
	if len(fs) == 0 || !strings.Contains(fs[0], "only the serverless-pseudo-parameters plugin replaces") {
		t.Errorf("without the plugin: %v", fs)
	}
}

func TestPerFunctionRoleNameLimits(t *testing.T) {
	src := "service: orders-service\nplugins: [serverless-iam-roles-per-function]\nfunctions:\n  processOrderEventsFromStream:\n    iamRoleStatements: []\n    events:\n      - stream: arn:aws:kinesis:eu-west-1:123456789012:stream/s\n"
	root, _ := yamlsrc.Parse("serverless.yml", []byte(src))
	svc, _ := Load(root, "dev", "eu-west-1")
	got, bad := ExecutionRoleName(svc, svc.Functions[0], "")
	if bad != nil || got != "orders-service-dev-processOrderEventsFromStream-eu-west-1" {
		t.Errorf("got %q, %v", got, bad)
	}
	long := strings.Replace(src, "processOrderEventsFromStream", "processOrderEventsFromTheVeryLongNamedStream", 1)
	root, _ = yamlsrc.Parse("serverless.yml", []byte(long))
	svc, _ = Load(root, "dev", "eu-west-1")
	if _, bad := ExecutionRoleName(svc, svc.Functions[0], ""); bad == nil || !strings.Contains(bad.Message, "iamRoleStatementsName") {
		t.Errorf("a role name over 64 characters must stop with the fix, got %v", bad)
	}
}

func TestStandaloneSkipEmpty(t *testing.T) {
	res := Compile(parse(t, "service: svc\nfunctions:\n  f:\n    events:\n      - http: GET /\n"))
	tpl, fs := Standalone(res, StandaloneOptions{SkipEmpty: true})
	if tpl != nil || len(fs) != 1 || fs[0].Severity != diag.Notice || !strings.Contains(fs[0].Message, NoStreamEvents) {
		t.Errorf("template %v, findings %v", tpl != nil, fs)
	}
	if _, fs := Standalone(res, StandaloneOptions{}); len(fs) != 1 || fs[0].Severity != diag.Error {
		t.Errorf("without SkipEmpty: %v", fs)
	}
}

// TestNullsStripped holds the shortcut that skips stripNulls for events
// without a null: each case has one null, in a different place, that must
// not reach the template (and a null-free event beside it).
func TestNullsStripped(t *testing.T) {
	tests := map[string]string{
		"option":   "enabled: null",
		"nested":   "destinations: {onFailure: {arn: {'Fn::GetAtt': [Q, Arn], x: null}, type: sqs}}",
		"consumer": "consumer: {'Fn::GetAtt': [C, Arn], x: null}",
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			svc := parse(t, `service: s
provider: {name: aws}
functions:
  f:
    handler: h
    events:
      - stream: arn:aws:kinesis:us-east-1:1:stream/plain
      - stream:
          arn: arn:aws:kinesis:us-east-1:1:stream/s
          `+opt+`
`)
			res := Compile(svc)
			if res.Findings.HasErrors() {
				t.Fatal(res.Findings)
			}
			for _, p := range res.Resources.Pairs {
				if hasNullValue(p.Value.Get("Properties")) {
					t.Errorf("%s: a null is left in %s", name, p.Value.Get("Properties").Stringify())
				}
			}
		})
	}
}

// TestManyOptions checks that options past the index of a few hundred
// (Event.opt) are still read.
func TestManyOptions(t *testing.T) {
	var opts strings.Builder
	for i := range 300 {
		fmt.Fprintf(&opts, "          x%d: 1\n", i)
	}
	svc := parse(t, `service: s
provider: {name: aws}
functions:
  f:
    handler: h
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:1:stream/s
`+opts.String()+`          batchSize: 7
          enabled: false
`)
	res := Compile(svc)
	if res.Findings.HasErrors() || len(res.Mappings) != 1 {
		t.Fatal(res.Findings)
	}
	props := res.Mappings[0].Properties
	if got := props.Get("BatchSize"); got == nil || got.Num != 7 {
		t.Errorf("BatchSize: got %s", got.Stringify())
	}
	if got := props.Get("Enabled"); got == nil || got.Kind != node.Bool || got.Bool {
		t.Errorf("Enabled: got %s", got.Stringify())
	}
}
