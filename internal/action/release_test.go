package action

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// releaseImage is where the release workflow pushes the multi-arch image.
const releaseImage = "docker://ghcr.io/stream-events/stream-events"

var semver = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// TestActionYML_ImageMatchesVersion: the VERSION file is the version being
// released (the release workflow refuses a tag that differs from it), and
// action.yml at that commit must name the image the release pushes for it,
// so `uses: stream-events/stream-events@vX.Y.Z` (or @vX, moved to it) pulls
// that version's image instead of building the Dockerfile. A CHANGELOG.md,
// if there is one, must have its latest version entry for the same version.
func TestActionYML_ImageMatchesVersion(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	version := strings.TrimSpace(readFile(t, filepath.Join(root, "VERSION")))
	if !semver.MatchString(version) {
		t.Fatalf("VERSION is %q, want vMAJOR.MINOR.PATCH", version)
	}
	m := readActionMeta(t)
	if want := releaseImage + ":" + version; m.Runs["image"] != want {
		t.Errorf("action.yml runs.image = %q, want %q (VERSION)", m.Runs["image"], want)
	}
	data, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err == nil {
		if latest := latestChangelogVersion(string(data)); latest != "" && latest != version {
			t.Errorf("CHANGELOG.md's latest entry is %s, VERSION is %s", latest, version)
		}
	}
	// The image tags the release pushes must include the exact version.
	release := readFile(t, filepath.Join(root, ".github", "workflows", "release.yml"))
	for _, want := range []string{"type=semver,pattern=v{{version}}", "cat VERSION", "action.yml"} {
		if !strings.Contains(release, want) {
			t.Errorf("release.yml no longer contains %q: it must push vX.Y.Z and check VERSION and action.yml against the tag", want)
		}
	}
}

var changelogVersion = regexp.MustCompile(`(?m)^##\s+\[?(v?\d+\.\d+\.\d+)\]?`)

// latestChangelogVersion is the first "## vX.Y.Z" (or "## [X.Y.Z]")
// heading of a changelog, with a v; "" if none ("## Unreleased" is skipped).
func latestChangelogVersion(s string) string {
	m := changelogVersion.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return "v" + strings.TrimPrefix(m[1], "v")
}

func TestLatestChangelogVersion(t *testing.T) {
	for in, want := range map[string]string{
		"# Changelog\n\n## Unreleased\n\n## v1.2.3 - 2026-01-01\n\n## v1.2.2\n": "v1.2.3",
		"## [1.0.0] - 2026-01-01\n": "v1.0.0",
		"# Changelog\n":             "",
	} {
		if got := latestChangelogVersion(in); got != want {
			t.Errorf("latestChangelogVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
