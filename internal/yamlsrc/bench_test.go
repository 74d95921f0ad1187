package yamlsrc

import (
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/diag"
)

// BenchmarkParse reads the benchmarks' service (benchsvc.Service) of 1000
// functions with 4 stream events each: Parse (the fast path), and the slow path alone (yaml.v3), which
// Parse took for every file before the fast path.
func BenchmarkParse(b *testing.B) {
	data := benchsvc.Service(1000)
	for _, path := range []string{"fast", "slow"} {
		b.Run("path="+path, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var fs diag.Findings
				if path == "fast" {
					_, fs = Parse("serverless.yml", data)
				} else {
					p := &parser{file: "serverless.yml"}
					p.checkEncoding(data)
					_, fs = parseSlow("serverless.yml", data)
				}
				if len(fs) > 0 {
					b.Fatal(fs)
				}
			}
		})
	}
}
