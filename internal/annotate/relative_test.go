package annotate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

func TestRelativize(t *testing.T) {
	tests := []struct {
		what, file, root, workDir, want string
	}{
		{"absolute inside the root", "/github/workspace/svc/serverless.yml", "/github/workspace", "/github/workspace/svc", "svc/serverless.yml"},
		{"relative to the work dir", "serverless.yml", "/github/workspace", "/github/workspace/svc", "svc/serverless.yml"},
		{"work dir relative to the root", "./a/../serverless.yml", "/repo", "svc", "svc/serverless.yml"},
		{"empty work dir is the root", "svc/serverless.yml", "/repo", "", "svc/serverless.yml"},
		{"outside the root stays absolute", "../other/serverless.yml", "/repo", "/repo", "/other/serverless.yml"},
		{"root-like prefix is not the root", "/repo2/s.yml", "/repo", "/repo", "/repo2/s.yml"},
		{"file named like dot-dot stays inside", "..s.yml", "/repo", "/repo", "..s.yml"},
		{"no root only cleans", "svc//./s.yml", "", "/anywhere", "svc/s.yml"},
		{"empty file stays empty", "", "/repo", "/repo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			in := diag.Findings{{Rule: "r", Range: diag.Range{File: tt.file}}}
			got := Relativize(in, tt.root, tt.workDir)
			if got[0].Range.File != tt.want {
				t.Errorf("got %q, want %q", got[0].Range.File, tt.want)
			}
			if d := cmp.Diff(diag.Range{File: tt.file}, in[0].Range); d != "" {
				t.Errorf("input modified: %s", d)
			}
		})
	}
}
