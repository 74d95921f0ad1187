package vars

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

type fakeRemote struct {
	calls []string
	vals  map[string]any
}

func (f *fakeRemote) Resolve(_ context.Context, kind, param, address string) (any, error) {
	key := kind + "(" + param + "):" + address
	f.calls = append(f.calls, key)
	if v, ok := f.vals[key]; ok {
		if err, ok := v.(error); ok {
			return nil, err
		}
		return v, nil
	}
	return nil, nil
}

// run resolves yml (named serverless.yml) with files from a map and
// returns the resolved JSON and the findings, one per line.
func run(t *testing.T, yml string, o Options, files map[string]string) (string, string, Result) {
	t.Helper()
	root, fs0 := yamlsrc.Parse("serverless.yml", []byte(yml))
	if fs0.HasErrors() {
		t.Fatalf("yaml: %v", fs0)
	}
	if o.ReadFile == nil {
		o.ReadFile = func(p string) ([]byte, error) {
			if s, ok := files[filepath.ToSlash(p)]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	if o.Getenv == nil {
		env := map[string]string{"HOME": "/home/u", "EMPTY": "", "FLAG": "false", "NUM": "42", "LOOP": "${env:LOOP}", "SELFREF": "${self:custom.a}"}
		o.Getenv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	}
	res := Resolve(root, o)
	var lines []string
	for _, f := range res.Findings {
		lines = append(lines, f.Severity.String()+" "+f.String())
	}
	return res.Root.Stringify(), strings.Join(lines, "\n"), res
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name     string
		yml      string
		o        Options
		files    map[string]string
		want     string // resolved JSON
		findings string
	}{
		{name: "self and types",
			yml:  "service: svc\ncustom:\n  n: 5\n  b: true\n  s: x\nv:\n  n: ${self:custom.n}\n  b: ${self:custom.b}\n  e: a-${self:custom.n}-${self:custom.b}\n  svc: ${self:service}\n",
			want: `{"service":"svc","custom":{"n":5,"b":true,"s":"x"},"v":{"n":5,"b":true,"e":"a-5-true","svc":"svc"}}`},
		{name: "foreign Fn::Sub kept",
			yml:  "service: s\nr: !Sub 'arn:${AWS::Partition}:s3:::${self:service}-${Bucket.Arn}'\n",
			want: `{"service":"s","r":{"Fn::Sub":"arn:${AWS::Partition}:s3:::s-${Bucket.Arn}"}}`},
		{name: "stage and region defaults",
			yml:  "provider:\n  name: aws\nv: ${sls:stage}-${aws:region}\n",
			want: `{"provider":{"name":"aws"},"v":"dev-us-east-1"}`},
		{name: "provider stage and region",
			yml:  "provider:\n  stage: prod\n  region: eu-west-1\nv: ${sls:stage}-${aws:region}-${self:provider.region}\n",
			want: `{"provider":{"stage":"prod","region":"eu-west-1"},"v":"prod-eu-west-1-eu-west-1"}`},
		{name: "cli stage and region win; self:provider.region is as written",
			yml:  "provider:\n  stage: prod\n  region: eu-west-1\nv: ${sls:stage}-${aws:region}-${self:provider.region}-${opt:stage}\n",
			o:    Options{Stage: "qa", Region: "ap-south-1"},
			want: `{"provider":{"stage":"prod","region":"eu-west-1"},"v":"qa-ap-south-1-eu-west-1-qa"}`},
		{name: "opt missing without fallback",
			yml:      "v: ${opt:stage}\n",
			want:     `{"v":"${opt:stage}"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "v": Value not found at "opt" source [variable-unresolved]`},
		{name: "opt custom",
			yml:  "v: ${opt:foo, 'd'}\nw: ${opt:bar, 'd'}\n",
			o:    Options{Opts: map[string]string{"foo": "F"}},
			want: `{"v":"F","w":"d"}`},
		{name: "fallbacks",
			yml:  "a: ${self:nope, env:NOPE, 'lit'}\nb: ${self:nope, 123}\nc: ${self:nope, true}\nd: ${self:nope, null}\ne: x${self:nope, 1.5}\nf: ${env:NOPE, \"dq\"}\n",
			want: `{"a":"lit","b":123,"c":true,"d":null,"e":"x1.5","f":"dq"}`},
		{name: "null literal embedded fails",
			yml:      "e: x${self:nope, null}\n",
			want:     `{"e":"x${self:nope, null}"}`,
			findings: `error serverless.yml:1:5: Cannot resolve variable at "e": String value consist of variable which resolve with non-string value [variable-unresolved]`},
		{name: "object embedded fails, array joins",
			yml:      "c:\n  o: {a: 1}\n  l: [1, 2]\ne: x${self:c.o}\nf: x${self:c.l}\n",
			want:     `{"c":{"o":{"a":1},"l":[1,2]},"e":"x${self:c.o}","f":"x1,2"}`,
			findings: `error serverless.yml:4:5: Cannot resolve variable at "e": String value consist of variable which resolve with non-string value [variable-unresolved]`},
		{name: "whole object copy",
			yml:  "c:\n  o: {a: '${self:c.n}', b: [x]}\n  n: 3\nv: ${self:c.o}\n",
			want: `{"c":{"o":{"a":3,"b":["x"]},"n":3},"v":{"a":3,"b":["x"]}}`},
		{name: "nested address",
			yml:  "provider: {stage: prod}\ncustom:\n  prod: {arn: P}\n  dev: {arn: D}\nv: ${self:custom.${sls:stage}.arn}\nw: ${self:custom.${opt:x, 'dev'}.arn}\n",
			want: `{"provider":{"stage":"prod"},"custom":{"prod":{"arn":"P"},"dev":{"arn":"D"}},"v":"P","w":"D"}`},
		{name: "quoted scalar column",
			yml:      "v: \"ab${self:nope}\"\n",
			want:     `{"v":"ab${self:nope}"}`,
			findings: `error serverless.yml:1:7: Cannot resolve variable at "v": Value not found at "self" source [variable-unresolved]`},
		{name: "unicode column",
			yml:      "v: éé${self:nope}\n",
			want:     `{"v":"éé${self:nope}"}`,
			findings: `error serverless.yml:1:6: Cannot resolve variable at "v": Value not found at "self" source [variable-unresolved]`},
		{name: "block scalar falls back to node start",
			yml:      "v: |\n  x ${self:nope}\n",
			want:     `{"v":"x ${self:nope}\n"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "v": Value not found at "self" source [variable-unresolved]`},
		{name: "escape",
			yml:  "v: '\\${self:x}'\nx: 1\n",
			want: `{"v":"${self:x}","x":1}`},
		{name: "env",
			yml:  "a: ${env:HOME}\nb: ${env:EMPTY}\nc: ${env:NUM}\nd: ${env:NOPE, 'x'}\ne: ${strToBool(${env:FLAG})}\n",
			want: `{"a":"/home/u","b":"","c":"42","d":"x","e":false}`},
		{name: "env value holding a variable is resolved again",
			yml:  "custom: {a: A}\nv: ${env:SELFREF}\n",
			want: `{"custom":{"a":"A"},"v":"A"}`},
		{name: "env self loop is bounded",
			yml:      "v: ${env:LOOP}\n",
			want:     `{"v":"${env:LOOP}"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "v": Excessive property variables nest depth [variable-cycle]`},
		{name: "secret env refused even with fallback",
			yml:      "a: ${env:AWS_SECRET_ACCESS_KEY, ''}\nb: x-${env:input_token}\n",
			want:     `{"a":"${env:AWS_SECRET_ACCESS_KEY, ''}","b":"x-${env:input_token}"}`,
			findings: "error serverless.yml:1:4: Cannot resolve variable at \"a\": \"${env:AWS_SECRET_ACCESS_KEY, ''}\" is not resolved: AWS_SECRET_ACCESS_KEY would end up in the template artifact (an AWS credential) [variable-secret-env]\nerror serverless.yml:2:6: Cannot resolve variable at \"b\": \"${env:input_token}\" is not resolved: input_token would end up in the template artifact (a GitHub Actions input, which may carry a token) [variable-secret-env]"},
		{name: "strToBool",
			yml:  "a: ${strToBool(true)}\nb: ${strToBool(1)}\nc: ${strToBool('false')}\nd: ${strToBool(' FALSE ')}\n",
			want: `{"a":true,"b":true,"c":false,"d":false}`},
		{name: "strToBool quirk: unquoted false and 0 are missing",
			yml:      "a: ${strToBool(false)}\nb: ${strToBool(0)}\nc: ${strToBool(yes)}\n",
			want:     `{"a":"${strToBool(false)}","b":"${strToBool(0)}","c":"${strToBool(yes)}"}`,
			findings: "error serverless.yml:1:4: Cannot resolve variable at \"a\": Missing \"strToBool\" input [variable-unresolved]\nerror serverless.yml:2:4: Cannot resolve variable at \"b\": Missing \"strToBool\" input [variable-unresolved]\nerror serverless.yml:3:4: Cannot resolve variable at \"c\": Invalid \"strToBool\" input: Expected either \"true\", \"false\", \"0\", or \"1\". Received: yes [variable-unresolved]"},
		{name: "params: stage then default, cli first",
			yml:  "provider: {stage: prod}\nparams:\n  prod: {a: PA}\n  default: {a: DA, b: DB, c: DC}\nv: ${param:a}-${param:b}-${param:c}\n",
			o:    Options{Params: map[string]string{"c": "CLI"}},
			want: `{"provider":{"stage":"prod"},"params":{"prod":{"a":"PA"},"default":{"a":"DA","b":"DB","c":"DC"}},"v":"PA-DB-CLI"}`},
		{name: "param missing",
			yml:      "v: ${param:nope}\n",
			want:     `{"v":"${param:nope}"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "v": The param "nope" cannot be resolved from CLI options or stage params. If you are using Serverless Framework Compose, make sure to run commands via Compose so that all parameters can be resolved [variable-unresolved]`},
		{name: "file yaml and json with address",
			yml:   "a: ${file(./conf/dev.yml):db.host}\nb: ${file(conf/x.json):list}\nc: ${file(./conf/dev.yml)}\nd: ${file(./nope.yml), 'none'}\ne: ${file(./t.txt)}\n",
			files: map[string]string{"conf/dev.yml": "db:\n  host: h-${self:e}\nr: !Ref X\n", "conf/x.json": `{"list": [1, "two"]}`, "t.txt": "text"},
			want:  `{"a":"h-text","b":[1,"two"],"c":{"db":{"host":"h-text"},"r":{"Ref":"X"}},"d":"none","e":"text"}`},
		{name: "file outside root",
			yml:      "a: ${file(../secret.yml)}\n",
			want:     `{"a":"${file(../secret.yml)}"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "a": file(../secret.yml) is outside the repository root "."; only files inside it are read [variable-file]`},
		{name: "findings inside an included file point into it",
			yml:      "a: ${file(./inc.yml)}\n",
			files:    map[string]string{"inc.yml": "k: ${self:nope}\n"},
			want:     `{"a":"${file(./inc.yml)}"}`,
			findings: `error inc.yml:1:4: Cannot resolve variable at "a.k": Value not found at "self" source [variable-unresolved]`},
		{name: "cycle",
			yml:      "a: ${self:b}\nb: ${self:a}\n",
			want:     `{"a":"${self:b}","b":"${self:a}"}`,
			findings: `error serverless.yml:2:4: Cannot resolve variable at "b": Circular reference among "b" and "a" properties (a -> b -> a) [variable-cycle]`},
		{name: "self cycle through parent",
			yml:      "c:\n  a: ${self:c}\n",
			want:     `{"c":{"a":"${self:c}"}}`,
			findings: `error serverless.yml:2:6: Cannot resolve variable at "c.a": Circular reference. "c.a" refers to itself [variable-cycle]`},
		{name: "remote unresolved with warnings",
			yml:      "a: ${ssm:/x/y}\nb: arn:${cf:stack.Out}\nc: ${self:a}\nd: ${s3:bucket/key, 'x'}\ne: ${aws:accountId}\nf: ${awsdesc:foo}\ng: ${sls:instanceId}\n",
			want:     `{"a":"${ssm:/x/y}","b":"arn:${cf:stack.Out}","c":"${self:a}","d":"x","e":"${aws:accountId}","f":"${awsdesc:foo}","g":"${sls:instanceId}"}`,
			findings: "warning serverless.yml:1:4: \"${ssm:/x/y}\" reads an SSM parameter, which needs AWS credentials; it is not resolved offline [variable-remote]\nwarning serverless.yml:2:8: \"${cf:stack.Out}\" reads a CloudFormation stack output, which needs AWS credentials; it is not resolved offline [variable-remote]\nnotice serverless.yml:4:4: \"${s3:bucket/key, 'x'}\" reads an S3 object, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]\nwarning serverless.yml:5:4: \"${aws:accountId}\" reads the AWS account ID, which needs AWS credentials; it is not resolved offline [variable-remote]\nwarning serverless.yml:6:4: Unrecognized configuration variable source \"awsdesc\" in \"${awsdesc:foo}\": it is not built into Serverless (a plugin may provide it), so it is not resolved offline [variable-remote]\nwarning serverless.yml:7:4: \"${sls:instanceId}\" differs on every Serverless run; it is not resolved offline [variable-remote]"},
		{name: "offline, remote sources with fallbacks take the fallback",
			yml:      "a: ${ssm:/x, cf:s.O, 'arn:aws:sqs:us-east-1:1:q'}\nb: ${aws:accountId, '123456789012'}-x\nc: ${ssm:/x, ssm:/y}\n",
			want:     `{"a":"arn:aws:sqs:us-east-1:1:q","b":"123456789012-x","c":"${ssm:/x, ssm:/y}"}`,
			findings: "notice serverless.yml:1:4: \"${ssm:/x, cf:s.O, 'arn:aws:sqs:us-east-1:1:q'}\" reads a CloudFormation stack output, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]\nnotice serverless.yml:1:4: \"${ssm:/x, cf:s.O, 'arn:aws:sqs:us-east-1:1:q'}\" reads an SSM parameter, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]\nnotice serverless.yml:2:4: \"${aws:accountId, '123456789012'}\" reads the AWS account ID, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]\nnotice serverless.yml:3:4: \"${ssm:/x, ssm:/y}\" reads an SSM parameter, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]\nwarning serverless.yml:3:4: \"${ssm:/x, ssm:/y}\" reads an SSM parameter, which needs AWS credentials; it is not resolved offline [variable-remote]"},
		{name: "remote address format errors",
			yml:      "a: ${cf:nodot}\n",
			want:     `{"a":"${cf:nodot}"}`,
			findings: `error serverless.yml:1:4: Cannot resolve variable at "a": Unsupported "nodot" address argument in variable "cf" source. Expected "<stack-name>.<output-id>" format [variable-unresolved]`},
		{name: "syntax error",
			yml:      "a: ${self:a, \"x\", 1}\n",
			want:     `{"a":"${self:a, \"x\", 1}"}`,
			findings: `error serverless.yml:1:14: Variable syntax error at "a": Invalid variable source at index 10 in "${self:a, "x", 1}" [variable-syntax]`},
		{name: "keys are not resolved",
			yml:  "'${self:x}': 1\nx: 2\n",
			want: `{"${self:x}":1,"x":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, findings, _ := run(t, tt.yml, tt.o, tt.files)
			if got != tt.want {
				t.Errorf("value:\n got %s\nwant %s", got, tt.want)
			}
			if findings != tt.findings {
				t.Errorf("findings:\n got %s\nwant %s", findings, tt.findings)
			}
		})
	}
}

func TestResolveUnresolvedMarks(t *testing.T) {
	_, _, res := run(t, "a: ${ssm:/x}\nc: pre-${self:a}\n", Options{}, nil)
	if got := res.Root.Get("a").Unresolved; got != "${ssm:/x}" {
		t.Errorf("a.Unresolved = %q", got)
	}
	if got := res.Root.Get("c").Unresolved; got != "${ssm:/x}" {
		t.Errorf("c.Unresolved = %q (dependent values carry the root cause)", got)
	}
}

func TestResolveRemote(t *testing.T) {
	f := &fakeRemote{vals: map[string]any{
		"ssm():/x":                "S",
		"cf(eu-west-1):stack.Out": "arn:x",
		"aws():accountId":         "123456789012",
		"ssm(raw,us-east-2):/l":   []any{"a", 1.0},
		"s3():b/k":                errors.New("AccessDenied"),
	}}
	yml := "a: ${ssm:/x}\nb: ${cf(eu-west-1):stack.Out}\nc: ${aws:accountId}-${ssm:/x}\nd: ${ssm(raw, us-east-2):/l}\ne: ${ssm:/missing, 'fb'}\ng: ${s3:b/k}\n"
	got, findings, _ := run(t, yml, Options{Remote: f}, nil)
	want := `{"a":"S","b":"arn:x","c":"123456789012-S","d":["a",1],"e":"fb","g":"${s3:b/k}"}`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if wantF := `error serverless.yml:6:4: Cannot resolve variable at "g": AccessDenied [variable-remote]`; findings != wantF {
		t.Errorf("findings %s", findings)
	}
	if n := strings.Count(strings.Join(f.calls, " "), "ssm():/x"); n != 1 {
		t.Errorf("ssm():/x called %d times, want memoized once", n)
	}
}

func TestResolveBounds(t *testing.T) {
	// Each level copies the previous one twice: 2^40 values unbounded.
	var b strings.Builder
	b.WriteString("l00: [1, 2]\n")
	for i := 1; i <= 40; i++ {
		b.WriteString(strings.ReplaceAll("lN: ['${self:lP}', '${self:lP}']\n", "N", itoa(i)))
		s := b.String()
		b.Reset()
		b.WriteString(strings.ReplaceAll(s, "lP", "l"+itoa(i-1)))
	}
	_, findings, _ := run(t, b.String(), Options{}, nil)
	if !strings.Contains(findings, "variables copy more than 500000 values") || strings.Count(findings, "\n") != 0 {
		t.Errorf("findings: %s", findings)
	}
	// An environment variable that resolves to eight copies of itself.
	env := strings.Repeat("${env:E}", 8)
	_, findings, _ = run(t, "a: ${env:E}\n", Options{Getenv: func(string) (string, bool) { return env, true }}, nil)
	if !strings.Contains(findings, "[variable-cycle]") {
		t.Errorf("findings: %s", findings)
	}
	// Thousands of values that each repeat a string of almost maxLen: a
	// few kilobytes of YAML, gigabytes of strings unbounded.
	b.Reset()
	b.WriteString("l00: '" + strings.Repeat("x", 100) + "'\n")
	for i := 1; i <= 13; i++ {
		b.WriteString("l" + itoa(i) + ": '${self:l" + itoa(i-1) + "}${self:l" + itoa(i-1) + "}'\n")
	}
	for i := range 500 {
		fmt.Fprintf(&b, "k%d: 'a${self:l13}'\n", i)
	}
	_, findings, _ = run(t, b.String(), Options{}, nil)
	if !strings.Contains(findings, "variables build more than 33554432 bytes of strings in all") {
		t.Errorf("findings: %.300s", findings)
	}
	// Deep nesting.
	deep := strings.Repeat("${self:a, ", 3000) + "1" + strings.Repeat("}", 3000)
	_, findings, _ = run(t, "a: "+deep+"\n", Options{}, nil)
	if !strings.Contains(findings, "[variable-") {
		t.Errorf("findings: %s", findings)
	}
}

func itoa(i int) string { return fmt.Sprintf("%02d", i) }

type notFound struct{}

func (notFound) Error() string  { return `SSM parameter "/gone" not found` }
func (notFound) NotFound() bool { return true }

// TestRemoteNotFoundUsesFallback: with credentials, a missing parameter or
// stack output is no value, so its fallback applies (as in Serverless).
func TestRemoteNotFoundUsesFallback(t *testing.T) {
	f := &fakeRemote{vals: map[string]any{"ssm():/gone": notFound{}}}
	got, findings, _ := run(t, "a: ${ssm:/gone, 10}\nb: ${ssm:/gone}\n", Options{Remote: f}, nil)
	if !strings.HasPrefix(got, `{"a":10,`) {
		t.Errorf("got %s", got)
	}
	if !strings.Contains(findings, `serverless.yml:2:4:`) || !strings.Contains(findings, `SSM parameter "/gone" not found`) || strings.Contains(findings, ":1:") {
		t.Errorf("findings %s", findings)
	}
}
