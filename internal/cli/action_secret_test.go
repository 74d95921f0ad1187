package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/textsafe"
)

const (
	fakeSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	fakeSession   = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789"
	fakeGHToken   = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
)

// leakyConfig asks for credentials through ${env:...}.
const leakyConfig = `service: leaky
provider:
  name: aws
  runtime: nodejs18.x
custom:
  key: ${env:AWS_SECRET_ACCESS_KEY}
functions:
  worker:
    handler: handler.main
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/leaky-${env:AWS_SESSION_TOKEN, 'x'}
          batchSize: ${env:GITHUB_TOKEN, 10}
`

// pastedConfig holds a token as a literal, as a pasted value would.
const pastedConfig = `service: pasted
provider:
  name: aws
  runtime: nodejs18.x
functions:
  pasted:
    handler: handler.main
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/pasted
          tumblingWindowInSeconds: 60 # token ` + fakeGHToken + `
          filterPatterns:
            - data:
                token: ["` + fakeGHToken + `"]
`

func TestAction_LeaksNoSecret(t *testing.T) {
	t.Parallel()
	// GIVEN credentials and tokens in the environment and a config after them
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{
		"leaky/serverless.yml":  leakyConfig,
		"pasted/serverless.yml": pastedConfig,
		"clean/serverless.yml":  caseConfig(t, "01-dynamodb-literal-minimal"),
	})
	srv := newArtifactServer(t)
	env := runnerEnv(t, ws)
	env["ACTIONS_RESULTS_URL"], env["ACTIONS_RUNTIME_TOKEN"] = srv.URL, srv.Token
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"] = "AKIAIOSFODNN7EXAMPLE", fakeSecretKey, fakeSession
	env["GITHUB_TOKEN"] = fakeGHToken
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" // nothing may reach AWS
	input(env, "config", "*/serverless.yml")
	input(env, "params", "note: "+fakeGHToken)

	// WHEN
	r := run(t, ws, env, "action")

	// THEN the run reports the problems ...
	if r.code != exit.Findings {
		t.Fatalf("exit %d, want %d\n%s%s", r.code, exit.Findings, r.stdout, r.stderr)
	}
	for _, want := range []string{"[variable-secret-env]", "[template-secret]", "# token ***", "the compiled template contains the value of environment variable GITHUB_TOKEN"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	// ... and no secret value reaches anything it writes
	secrets := map[string]string{"AWS_SECRET_ACCESS_KEY": fakeSecretKey, "AWS_SESSION_TOKEN": fakeSession,
		"GITHUB_TOKEN": fakeGHToken, "ACTIONS_RUNTIME_TOKEN": srv.Token, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}
	places := map[string]string{"stdout": r.stdout, "stderr": r.stderr,
		"outputs": readFile(t, env["GITHUB_OUTPUT"]), "summary": readFile(t, env["GITHUB_STEP_SUMMARY"])}
	for name, data := range workspaceFiles(t, ws) {
		places["workspace file "+name] = data
	}
	a, ok := srv.Artifact("stream-events-template")
	if !ok {
		t.Fatal("no artifact")
	}
	for name, data := range zipEntries(t, a.Data) {
		places["artifact entry "+name] = data
	}
	for where, data := range places {
		for name, secret := range secrets {
			if strings.Contains(data, secret) {
				t.Errorf("%s leaks %s", where, name)
			}
		}
	}
	if !strings.Contains(places["outputs"], "template-paths") || len(places) < 8 {
		t.Errorf("checked too little: %d places", len(places))
	}
}

// workspaceFiles returns the files the Action wrote into the workspace.
func workspaceFiles(t *testing.T, ws string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(filepath.Join(ws, ".stream-events"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func zipEntries(t *testing.T, data []byte) map[string]string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// hostileSecret holds every character an escaper rewrites (Markdown,
// workflow commands, the neutraliser, JSON), line breaks included.
const hostileSecret = "s3cr_t*[x]<y>&z|w\\v`u#t%s:r,q\r\np::o##[n\"m"

// hostileDirSecret is the same without "/" and line breaks, for a
// directory name.
const hostileDirSecret = "d1r_s*[x]<y>&z|w\\v`u#t%s:r,q::o##[n\"m"

// secretForms are s as each escaper writes it: none may reach a sink.
func secretForms(s string) map[string]string {
	j, _ := json.Marshal(s)
	return map[string]string{"raw": s, "Markdown": textsafe.Markdown(s), "MarkdownCode": textsafe.MarkdownCode(s),
		"CommandData": textsafe.CommandData(s), "CommandProperty": textsafe.CommandProperty(s),
		"Neutralize": textsafe.Neutralize(s), "Line": textsafe.Line(s), "JSON": string(j[1 : len(j)-1]),
		"URL path": url.PathEscape(s)}
}

// TestAction_RedactsBeforeEscaping puts secrets whose characters every
// escaper rewrites, and token-shaped values (ghs_..., a JWT runtime token),
// into service names and directory names, and checks each sink for the
// secret in every escaped form.
func TestAction_RedactsBeforeEscaping(t *testing.T) {
	t.Parallel()
	srv := newArtifactServer(t)
	// GIVEN secrets in the environment, and services named after them in
	// directories named after them
	secrets := map[string]string{"AWS_SESSION_TOKEN": hostileSecret, "AWS_SECRET_ACCESS_KEY": hostileDirSecret,
		"GITHUB_TOKEN": fakeGHToken, "ACTIONS_RUNTIME_TOKEN": srv.Token}
	named := func(name string) string {
		q, _ := json.Marshal(name) // a JSON string is a YAML double-quoted scalar
		return strings.Replace(caseConfig(t, "01-dynamodb-literal-minimal"), "service: ", "service: "+string(q)+"\n# was: ", 1)
	}
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{
		hostileDirSecret + "/serverless.yml": caseConfig(t, "01-dynamodb-literal-minimal"),
		"named/serverless.yml":               named(hostileSecret),
		fakeGHToken + "/serverless.yml":      named(srv.Token),
		"plain/serverless.yml":               named(fakeGHToken),
	})
	env := runnerEnv(t, ws)
	env["ACTIONS_RESULTS_URL"] = srv.URL
	env["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" // nothing may reach AWS
	for k, v := range secrets {
		env[k] = v
	}
	input(env, "config", "*/serverless.yml")

	// WHEN
	r := run(t, ws, env, "action")

	// THEN every sink was written ...
	sinks := map[string]string{"stderr": r.stderr, "outputs": readFile(t, env["GITHUB_OUTPUT"]),
		"summary": readFile(t, env["GITHUB_STEP_SUMMARY"])}
	for _, line := range strings.SplitAfter(r.stdout, "\n") {
		if strings.HasPrefix(line, "::error") || strings.HasPrefix(line, "::warning") || strings.HasPrefix(line, "::notice") {
			sinks["annotations"] += line
		} else {
			sinks["log"] += line
		}
	}
	for name, data := range workspaceFiles(t, ws) {
		sinks["file "+name] += data
		sinks["file names"] += name + "\n"
	}
	a, ok := srv.Artifact("stream-events-template")
	if !ok {
		t.Fatalf("no artifact\n%s", r.stdout)
	}
	for name, data := range zipEntries(t, a.Data) {
		sinks["artifact entry "+name] = data
		sinks["artifact entry names"] += name + "\n"
	}
	for _, want := range []string{"log", "annotations", "summary", "outputs", "artifact entry summary.md",
		"artifact entry findings.sarif", "artifact entry findings.json", "file names"} {
		if !strings.Contains(sinks[want], "***") && !strings.Contains(sinks[want], `\*\*\*`) && !strings.Contains(sinks[want], "%2A%2A%2A") {
			t.Errorf("%s shows no redacted value: the test proves nothing there", want)
		}
	}
	// ... and none holds a secret in any form
	for where, data := range sinks {
		for name, secret := range secrets {
			for form, s := range secretForms(secret) {
				if strings.Contains(data, s) {
					t.Errorf("%s leaks %s (%s form)", where, name, form)
				}
			}
		}
	}
}
