package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	info := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/stream-events/stream-events", Version: v}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	tests := []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"a release build is stamped", "v1.2.3", info("v1.2.2"), "v1.2.3"},
		{"go install records the module version", "dev", info("v1.4.0"), "v1.4.0"},
		{"a checkout build records a pseudo-version", "dev", info("v0.0.0-20261206035609-d892c30abc12+dirty"), "v0.0.0-20261206035609-d892c30abc12+dirty"},
		{"no module version: the commit", "dev", info("(devel)", rev), "dev (0123456789ab)"},
		{"nothing known", "dev", info("(devel)"), "dev"},
		{"no build info", "dev", nil, "dev"},
	}
	for _, tt := range tests {
		if got := versionOf(tt.stamped, tt.info, tt.info != nil); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestVersionCommand: the test binary has no stamp, so version prints what
// the build recorded, never an empty string.
func TestVersionCommand(t *testing.T) {
	code, stdout, _ := runIn(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(stdout, "stream-events ") || stdout != "stream-events "+version()+"\n" {
		t.Errorf("exit %d, %q", code, stdout)
	}
}
