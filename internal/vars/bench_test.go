package vars

import (
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// BenchmarkResolve resolves the 1000-function service; parsing the YAML is
// not timed (Resolve edits the tree in place, so each run gets a fresh one).
func BenchmarkResolve(b *testing.B) {
	data := benchsvc.Service(1000)
	fresh := func() *node.Node {
		root, fs := yamlsrc.Parse("serverless.yml", data)
		if fs.HasErrors() {
			b.Fatal(fs)
		}
		return node.JSONRoundTrip(root)
	}
	if res := Resolve(fresh(), Options{}); len(res.Findings) > 0 {
		b.Fatal(res.Findings)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		root := fresh()
		b.StartTimer()
		Resolve(root, Options{})
	}
}
