package compile

import "testing"

// TestSatisfiesFramework pins node-semver's answers for 3.40.0.
func TestSatisfiesFramework(t *testing.T) {
	for r, want := range map[string]bool{
		"3": true, "^3": true, "3.x": true, "^3.38.0": true, "~3.40": true, ">=3.0.0 <4": true, "*": true,
		"^2.0.0 || 3.x": true, "3.40.0": true, ">=2.1.0": true,
		">=4": false, "^4.0.0": false, "2": false, "~3.39.0": false, "3.41.x": false, "<3.40.0": false,
		"not a range": false, "": true,
	} {
		if got := satisfiesFramework(r); got != want {
			t.Errorf("satisfiesFramework(%q) = %v, want %v", r, got, want)
		}
	}
}
