package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/vars"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestFind(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		flag    string
		want    string // path relative to the temp dir
		wantErr string
	}{
		{name: "yml", files: []string{"serverless.yml", "serverless.json"}, want: "serverless.yml"},
		{name: "yaml before json", files: []string{"serverless.yaml", "serverless.json"}, want: "serverless.yaml"},
		{name: "json", files: []string{"serverless.json"}, want: "serverless.json"},
		{name: "yml wins over ts", files: []string{"serverless.ts", "serverless.yml"}, want: "serverless.yml"},
		{name: "ts alone", files: []string{"serverless.ts"}, wantErr: `serverless.ts is JavaScript/TypeScript, which cannot be read statically; write it out as YAML with "serverless print --format yaml > serverless.yml"`},
		{name: "js alone", files: []string{"serverless.js"}, wantErr: "cannot be read statically"},
		{name: "none", wantErr: "no serverless.yml, serverless.yaml or serverless.json in"},
		{name: "flag", files: []string{"serverless.yml", "svc/other.yaml"}, flag: "svc/other.yaml", want: "svc/other.yaml"},
		{name: "flag missing", flag: "nope.yml", wantErr: `cannot find "nope.yml"`},
		{name: "flag bad extension", files: []string{"x.txt"}, flag: "x.txt", wantErr: "unsupported file extension"},
		{name: "flag ts", files: []string{"s.ts"}, flag: "s.ts", wantErr: "cannot be read statically"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				write(t, dir, map[string]string{f: "x: 1\n"})
			}
			got, err := Find(dir, tt.flag, exists)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, tt.want); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestFindRelative(t *testing.T) {
	got, err := Find(".", "", func(p string) bool { return p == "serverless.yml" })
	if err != nil || got != "serverless.yml" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\ncustom: ${file(./custom.yml)}\nshared: ${file(../shared/common.json):k}\nbad: ${self:nope}\n",
		"svc/custom.yml":     "arn: ${self:service}-${sls:stage}\nmissing: ${env:NOPE}\n",
		"shared/common.json": `{"k": "shared"}`,
	})
	chdir(t, dir)
	c, err := Load("svc/serverless.yml", vars.Options{Stage: "prod", Getenv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Root.Stringify(), `{"service":"s","provider":{"name":"aws","stage":"prod"},"custom":"${file(./custom.yml)}","shared":"shared","bad":"${self:nope}"}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var lines []string
	for _, f := range c.Findings {
		lines = append(lines, f.String())
	}
	want := `svc/custom.yml:2:10: Cannot resolve variable at "custom.missing": Value not found at "env" source [variable-unresolved]
svc/serverless.yml:7:6: Cannot resolve variable at "bad": Value not found at "self" source [variable-unresolved]`
	if got := strings.Join(lines, "\n"); got != want {
		t.Errorf("findings:\n%s\nwant\n%s", got, want)
	}
	if c.Stage != "prod" || c.Region != "us-east-1" || c.Path != "svc/serverless.yml" {
		t.Errorf("stage %q region %q path %q", c.Stage, c.Region, c.Path)
	}
	for _, name := range []string{"svc/serverless.yml", "svc/custom.yml", "shared/common.json"} {
		if c.Sources[name] == nil {
			t.Errorf("Sources lacks %q (has %d)", name, len(c.Sources))
		}
	}
}

func TestLoadRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, outside, map[string]string{"secret.yml": "k: s3cret\n"})
	write(t, dir, map[string]string{"serverless.yml": "a: ${file(../" + filepath.Base(outside) + "/secret.yml):k}\nb: ${file(./link.yml):k}\n"})
	if err := os.Symlink(filepath.Join(outside, "secret.yml"), filepath.Join(dir, "link.yml")); err != nil {
		t.Skip(err)
	}
	chdir(t, dir)
	c, err := Load("serverless.yml", vars.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.Root.Stringify(), "s3cret") {
		t.Fatalf("secret leaked: %s", c.Root.Stringify())
	}
	got := ""
	for _, f := range c.Findings {
		got += f.String() + "\n"
	}
	for _, want := range []string{"serverless.yml:1:4:", "is outside the repository root", "serverless.yml:2:4:", `Cannot parse "link.yml": outside the root "." (symbolic links followed)`} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
}

func TestLoadContentFindings(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"list.yml": "- a\n", "bad.yml": "a: [\n"})
	chdir(t, dir)
	for name, want := range map[string]string{
		"list.yml": `list.yml:1:1: Invalid configuration at "list.yml": Plain object expected, not array [config-file]`,
		"bad.yml":  "bad.yml:",
	} {
		c, err := Load(name, vars.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Findings) == 0 || !strings.HasPrefix(c.Findings[0].String(), want) {
			t.Errorf("%s: findings %v, want %q", name, c.Findings, want)
		}
	}
	if _, err := Load("missing.yml", vars.Options{}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}
