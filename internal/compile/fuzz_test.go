package compile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// FuzzCompile feeds arbitrary YAML through the compiler in both modes: it
// must report problems as findings, never panic.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/cases/*/serverless.yml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("functions: {f: {events: [{stream: {arn: {Fn::Join: [a, [1]]}, type: kinesis}}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _ := yamlsrc.Parse("serverless.yml", data)
		if root == nil {
			return
		}
		svc, _ := Load(root, "dev", "us-east-1")
		res := Compile(svc)
		tpl, _ := ServerlessTemplate(res, nil)
		_ = tpl.Indent()
		st, _ := Standalone(res, StandaloneOptions{})
		_ = st.Indent()
		for _, fd := range res.Findings {
			if fd.Range.Start.Line == 0 {
				t.Errorf("finding without a position: %s", fd)
			}
		}
	})
}
