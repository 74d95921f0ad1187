package cli

import (
	"runtime/debug"
)

// version is what the tool reports as its version: the stamped Version of a
// release build (the Dockerfile's -ldflags -X), else the module version Go
// records in the binary (go install ...@v1.2.3 records v1.2.3; a build in a
// checkout records a pseudo-version from its commit), else "dev".
func version() string {
	info, ok := debug.ReadBuildInfo()
	return versionOf(Version, info, ok)
}

func versionOf(stamped string, info *debug.BuildInfo, ok bool) string {
	if stamped != "" && stamped != "dev" {
		return stamped
	}
	if ok && info != nil {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev (" + s.Value[:12] + ")"
			}
		}
	}
	return "dev"
}
