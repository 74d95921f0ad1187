package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// FuzzLint checks that no YAML document, however odd its shape, panics the
// linter. It is seeded with every ok and err case.
func FuzzLint(f *testing.F) {
	for _, dir := range []string{"ok", "err"} {
		files, _ := filepath.Glob(filepath.Join(testdata, dir, "*.yml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("functions: {f: {events: [{stream: {arn: {Fn::Join: [x, []]}, type: kinesis, consumer: true}}]}}"))
	f.Add([]byte("functions: {f: {events: [{stream: {arn: !GetAtt [], filterPatterns: [{dynamodb: {NewImage: [1]}}]}}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		root, _ := yamlsrc.Parse("serverless.yml", data)
		Lint(root, Options{Now: testNow})
	})
}
