package deploy

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/stream-events/stream-events/internal/lazyre"
)

// nameRE is the rule AWS applies to stack and change-set names.
var nameRE = lazyre.New(`^[a-zA-Z][-a-zA-Z0-9]*$`)

func validName(s string) bool { return len(s) <= 128 && nameRE.MatchString(s) }

// ValidStackName reports whether CloudFormation accepts s as a stack name:
// a letter, then letters, digits and hyphens, at most 128 characters.
func ValidStackName(s string) bool { return validName(s) }

// NewChangeSetNamer returns the default change-set name generator:
// stream-events-<UTC timestamp>-<8 random hex digits>. A fixed name would
// make parallel runs collide (aws-cloudformation-github-deploy #110); a
// timestamp alone collides within a second (aws-sam-cli #5927).
func NewChangeSetNamer(now func() time.Time) func() string {
	return func() string {
		var b [4]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		return "stream-events-" + now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
	}
}
