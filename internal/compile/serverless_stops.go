package compile

import (
	"fmt"

	"github.com/Masterminds/semver/v3"

	"github.com/stream-events/stream-events/internal/diag"
)

// FrameworkVersion is the Serverless release serverless mode reproduces.
const FrameworkVersion = "3.40.0"

// serverlessStops reports what stops Serverless outside the stream events,
// so that serverless mode fails where it fails: a frameworkVersion 3.40.0
// does not satisfy (lib/classes/service.js) and a function with neither or
// both of handler and image (lib/plugins/aws/package/compile/functions.js).
// Standalone mode does not need handlers: a stream-only config is valid.
func serverlessStops(svc *Service) diag.Findings {
	var fs diag.Findings
	if v := svc.Root.Get("frameworkVersion"); !v.IsNull() {
		if s := coerceString(v); s.IsString() && !satisfiesFramework(s.Str) {
			fs = append(fs, finding(v, fmt.Sprintf(
				"the Serverless version (%s) does not satisfy the \"frameworkVersion\" (%s) (FRAMEWORK_VERSION_MISMATCH)", FrameworkVersion, s.Str)))
		}
	}
	for _, f := range svc.Functions {
		handler, image := f.Node.Get("handler").Truthy(), f.Node.Get("image").Truthy()
		switch {
		case !handler && !image:
			fs = append(fs, finding(f.Key, fmt.Sprintf(
				"either \"handler\" or \"image\" property needs to be set on function %q; Serverless stops (FUNCTION_NEITHER_HANDLER_NOR_IMAGE_DEFINED_ERROR)", f.Name)))
		case handler && image:
			fs = append(fs, finding(f.Key, fmt.Sprintf(
				"either \"handler\" or \"image\" property (not both) needs to be set on function %q; Serverless stops (FUNCTION_BOTH_HANDLER_AND_IMAGE_DEFINED_ERROR)", f.Name)))
		}
	}
	return fs
}

// satisfiesFramework is semver.satisfies(version, range) of node-semver; a
// range it cannot parse is not satisfied.
func satisfiesFramework(r string) bool {
	if r == "" || r == FrameworkVersion { // an empty frameworkVersion is not checked
		return true
	}
	c, err := semver.NewConstraint(r)
	if err != nil {
		return false
	}
	return c.Check(semver.MustParse(FrameworkVersion))
}
