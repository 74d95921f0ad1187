package compile

import (
	"fmt"

	"github.com/stream-events/stream-events/internal/lazyre"
)

// stagePattern is what a stage may hold: it goes into function names
// (<service>-<stage>-<function>, Lambda allows letters, digits, "-" and
// "_"), role and policy names and the .env.<stage> path. Serverless's own
// schema pattern for provider.stage (lib/config-schema.js) is stricter,
// ^[a-zA-Z0-9-]+$, as its default stack name <service>-<stage> takes no
// "_"; but it only warns, checks --stage not at all, and a custom
// provider.stackName deploys a "_" stage (the golden case
// 147-partitions-stage-case packages --stage Prod_EU). The deployer checks
// the stack name it uses on its own.
var stagePattern = lazyre.New(`^[a-zA-Z0-9_-]+$`)

// maxStage is a CloudFormation stack name's length, which may hold the
// stage.
const maxStage = 128

// regionPattern is the form of every AWS region name (us-east-1,
// cn-north-1, us-gov-west-1, eu-isoe-west-1): the form, not a list, so a
// region newer than this program is not refused.
var regionPattern = lazyre.New(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// CheckStage returns why stage cannot name a stack, or nil.
func CheckStage(stage string) error {
	if !stagePattern.MatchString(stage) || len(stage) > maxStage {
		return fmt.Errorf("%q is not a valid stage: use 1 to %d letters, digits, \"-\" and \"_\" (it goes into function, role and stack names)", stage, maxStage)
	}
	return nil
}

// CheckRegion returns why region is not an AWS region name, or nil.
func CheckRegion(region string) error {
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("%q is not an AWS region name such as us-east-1, eu-west-3 or us-gov-west-1", region)
	}
	return nil
}

// CheckOptions checks the --stage and --region options (empty: not given).
// Serverless takes any value there and packages names no AWS service
// accepts; a command line is refused before anything is read.
func CheckOptions(stage, region string) error {
	if stage != "" {
		if err := CheckStage(stage); err != nil {
			return fmt.Errorf("invalid --stage: %w", err)
		}
	}
	if region != "" {
		if err := CheckRegion(region); err != nil {
			return fmt.Errorf("invalid --region: %w", err)
		}
	}
	return nil
}
