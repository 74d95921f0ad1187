package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesOutsideTheLinter gives every rule of the loader, the variable
// resolver and the compiler (the linter's have internal/lint/testdata) a config that
// triggers it, with its exact finding, and a near miss that does not.
// (template-secret belongs to the Action and is tested there.)
func TestRulesOutsideTheLinter(t *testing.T) {
	const head = "service: svc\nprovider: {name: aws}\n"
	const fn = "functions:\n  f:\n    handler: h.main\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"
	tests := []struct {
		rule    string
		args    []string
		err, ok string // serverless.yml contents
		extra   map[string]string
		want    string // the finding's line
	}{
		{"yaml-syntax", []string{"lint"}, head + "a: 1\na: 2\n" + fn, head + "a: 1\nb: 2\n" + fn, nil,
			`serverless.yml:4:1: error: key "a" is duplicated; previously defined at line 3, column 1 [yaml-syntax]`},
		{"config-file", []string{"lint"}, "- just\n- a list\n", head + fn, nil,
			`serverless.yml:1:1: error: Invalid configuration at "serverless.yml": Plain object expected, not array [config-file]`},
		{"variable-unresolved", []string{"lint"}, head + "custom: {a: '${self:custom.nope}'}\n" + fn, head + "custom: {a: '${self:custom.nope, 1}'}\n" + fn, nil,
			`serverless.yml:3:14: error: Cannot resolve variable at "custom.a": Value not found at "self" source [variable-unresolved]`},
		{"variable-remote", []string{"lint"}, head + "custom: {a: '${ssm:/p}'}\n" + fn, head + "custom: {a: '${opt:p, 1}'}\n" + fn, nil,
			`serverless.yml:3:14: warning: "${ssm:/p}" reads an SSM parameter, which needs AWS credentials; it is not resolved offline [variable-remote]`},
		{"variable-secret-env", []string{"lint"}, head + "custom: {a: '${env:GITHUB_TOKEN}'}\n" + fn, head + "custom: {a: '${env:STAGE_NAME, x}'}\n" + fn, nil,
			`serverless.yml:3:14: error: Cannot resolve variable at "custom.a": "${env:GITHUB_TOKEN}" is not resolved: GITHUB_TOKEN would end up in the template artifact (a GitHub token) [variable-secret-env]`},
		{"variable-cycle", []string{"lint"}, head + "custom: {a: '${self:custom.b}', b: '${self:custom.a}'}\n" + fn, head + "custom: {a: '${self:custom.b}', b: x}\n" + fn, nil,
			`serverless.yml:3:37: error: Cannot resolve variable at "custom.b": Circular reference among "custom.b" and "custom.a" properties (custom.a -> custom.b -> custom.a) [variable-cycle]`},
		{"variable-syntax", []string{"lint"}, head + "custom: {a: '${self:custom.b'}\n" + fn, head + "custom: {a: '${self:service}'}\n" + fn, nil,
			`serverless.yml:3:29: error: Variable syntax error at "custom.a": Missing variable closing bracket in ${self:custom.b [variable-syntax]`},
		{"variable-file", []string{"lint"}, head + "custom: {a: '${file(../x.yml)}'}\n" + fn, head + "custom: {a: '${file(./x.yml):k}'}\n" + fn, map[string]string{"x.yml": "k: v\n"},
			`serverless.yml:3:14: error: Cannot resolve variable at "custom.a": file(../x.yml) is outside the repository root "."; only files inside it are read [variable-file]`},
		{"compile", []string{"compile", "--mode", "serverless"}, head + "functions:\n  f:\n    handler: h.main\n    events:\n      - stream: {arn: !GetAtt T.StreamArn}\n", head + "functions:\n  f:\n    handler: h.main\n    events:\n      - stream: {arn: !GetAtt T.StreamArn, type: dynamodb}\n", nil,
			"serverless.yml:7:23: an intrinsic arn (Fn::GetAtt) needs `type: dynamodb` or `type: kinesis`; Serverless v3 crashes without it (EventSourceArn.split is not a function) [compile]"},
		{"standalone-role", []string{"compile"}, head + "functions:\n  f:\n    role: SharedRole\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n", head + "functions:\n  f:\n    role: arn:aws:iam::123456789012:role/SharedRole\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n", nil,
			`serverless.yml:5:11: the execution role "SharedRole" is a logical ID of another stack; a standalone template attaches its stream policy by role name: give the role as an ARN, give it a literal RoleName, or pass --role-name [standalone-role]`},
		{"base-template", []string{"compile", "--mode", "serverless", "--base", "base.json"}, head + fn, head + fn, map[string]string{"base.json": `["not", "a", "template"]`},
			"base.json:1:1: the base template must be a CloudFormation template object with Resources [base-template]"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			_, stdout, stderr := runFiles(t, tt.err, tt.extra, tt.args)
			if !strings.Contains(stdout+stderr, tt.want+"\n") {
				t.Errorf("want the finding\n  %s\ngot\n%s%s", tt.want, stdout, stderr)
			}
			if tt.rule == "base-template" {
				return // the near miss is the same config with a valid base: see TestGoldenCases
			}
			_, stdout, stderr = runFiles(t, tt.ok, tt.extra, tt.args)
			if strings.Contains(stdout+stderr, "["+tt.rule+"]") {
				t.Errorf("the near miss reports %s:\n%s%s", tt.rule, stdout, stderr)
			}
		})
	}
}

func runFiles(t *testing.T, config string, extra map[string]string, args []string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"serverless.yml": config, ".git/HEAD": "ref: refs/heads/main\n"}
	for k, v := range extra {
		files[k] = v
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return run(dir, map[string]string{"GITHUB_TOKEN": "ghp_secret"}, args...)
}
