package vars

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// FuzzResolve checks that resolution never panics and always terminates,
// whatever the configuration, its files and its environment.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"a: ${self:b}\nb: ${self:a}\n",
		"c:\n  a: ${self:c}\n",
		"a: ${self:c.${sls:stage}.x, 'd'}\nc: {dev: {x: ${env:E}}}\n",
		"a: ${file(./f.yml):k}\n",
		"a: ${strToBool(${env:E})}\nb: x${self:a}y\n",
		"a: '\\${self:b}'\nb: ${self:a}\n",
		"a: ${ssm:/x, ${cf:s.o}}\nb: ${self:a.b.c}\n",
		"a: ${param:p}\nparams: {default: {p: '${self:a}'}}\n",
		"a: ${self:}\n",
		"r: !Sub '${AWS::Region}-${self:x, 1}'\n",
	} {
		f.Add(s, "k: ${self:a}\nl: ${file(./f.yml):k}\n", "${env:E}")
	}
	// The golden cases are real configs full of variables.
	seeds, _ := filepath.Glob("../../testdata/cases/*/serverless.yml")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), "k: v\n", "arn:aws:kinesis:us-east-1:123456789012:stream/s")
		}
	}
	f.Fuzz(func(t *testing.T, yml, file, env string) {
		root, _ := yamlsrc.Parse("serverless.yml", []byte(yml))
		if root == nil {
			return
		}
		res := Resolve(root, Options{
			Getenv: func(k string) (string, bool) { return env, k == "E" },
			ReadFile: func(p string) ([]byte, error) {
				if strings.HasSuffix(p, "f.yml") {
					return []byte(file), nil
				}
				return nil, fs.ErrNotExist
			},
		})
		for _, x := range res.Findings {
			if x.Range.File == "" || x.Range.Start.Line < 1 {
				t.Errorf("finding without position: %v", x)
			}
		}
		_ = res.Root.Stringify()
	})
}

// FuzzParseVars checks the variable parser alone.
func FuzzParseVars(f *testing.F) {
	for _, s := range []string{"${self:a}", "${a:${b:${c}}}", "\\${x}", "${file('a'):b, \"c\"}", "${x(,,)}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse(s)
	})
}
