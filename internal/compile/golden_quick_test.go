package compile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

func TestQuickGolden(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/cases/*")
	for _, d := range dirs {
		exp, err := os.ReadFile(filepath.Join(d, "expected.json"))
		if err != nil {
			continue
		}
		var o struct{ Stage, Region string }
		if b, err := os.ReadFile(filepath.Join(d, "options.json")); err == nil {
			json.Unmarshal(b, &o)
		}
		if o.Stage == "" {
			o.Stage = "dev"
		}
		if o.Region == "" {
			o.Region = "us-east-1"
		}
		src, _ := os.ReadFile(filepath.Join(d, "serverless.yml"))
		root, _ := yamlsrc.Parse("serverless.yml", src)
		bb, _ := os.ReadFile(filepath.Join(d, "base.json"))
		base, _ := yamlsrc.Parse("base.json", bb)
		svc, fs := Load(root, o.Stage, o.Region)
		res := Compile(svc)
		fs = append(fs, res.Findings...)
		tpl, fs2 := ServerlessTemplate(res, base)
		fs = append(fs, fs2...)
		got := string(tpl.Indent())
		if got != string(exp) {
			os.WriteFile("/tmp/got-"+filepath.Base(d)+".json", []byte(got), 0o644)
			t.Errorf("%s differs %v", filepath.Base(d), fs)
		}
	}
}
