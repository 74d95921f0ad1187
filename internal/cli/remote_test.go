package cli

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

const remoteHead = "service: svc\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h.main\n"

func remoteConfig(fn string) string { return remoteHead + fn }

// TestLintAndCompileAgreeOnRemoteVariables: offline, lint fails exactly
// where compile (standalone, the default) fails, and a remote source with a
// fallback takes the fallback with a notice.
func TestLintAndCompileAgreeOnRemoteVariables(t *testing.T) {
	tests := []struct {
		name   string
		config string
		code   int // of both lint and compile
		want   string
	}{
		{"account ID in a stream ARN", remoteConfig("    events:\n      - stream: arn:aws:kinesis:us-east-1:${aws:accountId}:stream/s\n"),
			exit.Findings, "needs the value of ${aws:accountId}, which could not be resolved; run with AWS credentials, or give it a fallback (used offline) [compile]"},
		{"ssm without fallback", remoteConfig("    events:\n      - stream: ${ssm:/arn}\n"),
			exit.Findings, "needs the value of ${ssm:/arn}"},
		{"ssm without address", remoteConfig("    events:\n      - stream: ${ssm:}\n"),
			exit.Findings, "Missing address argument"},
		{"ssm with a fallback", remoteConfig("    events:\n      - stream: ${ssm:/arn, 'arn:aws:kinesis:us-east-1:123456789012:stream/s'}\n"),
			exit.OK, "offline its fallback is used; deploy (or a run with credentials) resolves the real value [variable-remote]"},
		{"account ID with a fallback", remoteConfig("    events:\n      - stream: arn:aws:kinesis:us-east-1:${aws:accountId, '123456789012'}:stream/s\n"),
			exit.OK, "reads the AWS account ID"},
		{"ssm in the function name", remoteConfig("    name: ${ssm:/name}\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"),
			exit.Findings, "the function's name needs the value of ${ssm:/name}"},
		{"ssm elsewhere", remoteConfig("    description: ${ssm:/d}\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"),
			exit.OK, `"${ssm:/d}" reads an SSM parameter`},
		// Serverless stops on any variable it cannot resolve, and deploy
		// refuses any error: so does the standalone compile.
		{"env variable elsewhere", remoteConfig("    description: ${env:NOT_SET}\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"),
			exit.Findings, `Cannot resolve variable at "functions.f.description"`},
		{"self reference elsewhere", remoteConfig("    environment: {TABLE: '${self:custom.table}'}\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"),
			exit.Findings, `Value not found at "self" source`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tempFiles(t, map[string]string{"serverless.yml": tt.config})
			for _, cmd := range [][]string{{"lint"}, {"compile"}, {"lint", "--offline"}, {"compile", "--offline"}} {
				code, stdout, stderr := runIn(t, dir, cmd...)
				if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
					t.Errorf("%s: exit %d, want %d and %q:\n%s%s", cmd, code, tt.code, tt.want, stdout, stderr)
				}
			}
		})
	}
}

// fakeSSM answers GetParameter for /arn and counts the requests.
func fakeSSM(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParameter" {
			http.Error(w, "unexpected", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"Parameter":{"Name":"/arn","Type":"String","Value":"arn:aws:kinesis:us-east-1:123456789012:stream/real"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestCompileUsesCredentials: with credentials in the environment, compile
// resolves ${ssm:} as deploy does; --offline never calls AWS and takes the
// fallback. The binary runs as a process: the AWS SDK reads the real
// environment.
func TestCompileUsesCredentials(t *testing.T) {
	srv, calls := fakeSSM(t)
	dir := tempFiles(t, map[string]string{"serverless.yml": remoteConfig("    events:\n      - stream: ${ssm:/arn, 'arn:aws:kinesis:us-east-1:123456789012:stream/fallback'}\n")})
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "dummy/secret/key/for/tests/only/0123456789",
		"AWS_ENDPOINT_URL_SSM": srv.URL, "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED": "true", "HOME": t.TempDir()}
	if r := run(t, dir, env, "compile"); r.code != exit.OK || !strings.Contains(r.stdout, "stream/real") || calls.Load() == 0 {
		t.Errorf("with credentials: exit %d, %d SSM calls\n%s%s", r.code, calls.Load(), r.stdout, r.stderr)
	}
	calls.Store(0)
	if r := run(t, dir, env, "compile", "--offline"); r.code != exit.OK || !strings.Contains(r.stdout, "stream/fallback") || calls.Load() != 0 {
		t.Errorf("--offline: exit %d, %d SSM calls\n%s%s", r.code, calls.Load(), r.stdout, r.stderr)
	}
}

// TestAction_SecureStringIsASecret: a pull request's config that reads an
// SSM SecureString the job's role can decrypt (the value is ARN-shaped, so
// no token pattern knows it) gets no template, and the value is in no
// sink: the resolver hands every decrypted SecureString to the redactor.
func TestAction_SecureStringIsASecret(t *testing.T) {
	const secret = "arn:aws:kinesis:us-east-1:123456789012:stream/s3cr3t-d4t4base-pa55w0rd"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"Parameter":{"Name":"/db/password","Type":"SecureString","Value":"` + secret + `"}}`))
	}))
	t.Cleanup(srv.Close)
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": remoteConfig("    events:\n      - stream: ${ssm:/db/password}\n")})
	env := runnerEnv(t, ws)
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "dummy/secret/key/for/tests/only/0123456789",
		"AWS_ENDPOINT_URL_SSM": srv.URL, "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED": "true", "HOME": t.TempDir()} {
		env[k] = v
	}
	input(env, "plan", "off")
	input(env, "artifact-name", "")
	binary(t)
	r := run(t, ws, env, "action")
	if r.code == exit.OK || !strings.Contains(r.stdout, "template-secret") {
		t.Errorf("exit %d, want a template-secret refusal:\n%s", r.code, r.stdout)
	}
	var sinks strings.Builder
	sinks.WriteString(r.stdout + r.stderr + readFile(t, env["GITHUB_OUTPUT"]) + readFile(t, env["GITHUB_STEP_SUMMARY"]))
	_ = filepath.WalkDir(ws, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, "serverless.yml") {
			sinks.WriteString(readFile(t, p))
		}
		return nil
	})
	if strings.Contains(sinks.String(), "s3cr3t-d4t4base-pa55w0rd") {
		t.Errorf("the SecureString's value reached a sink")
	}
}
