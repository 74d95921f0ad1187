package compile

import "strings"

// The names below follow lib/plugins/aws/lib/naming.js of Serverless v3.

// AlphaNumeric keeps only [0-9A-Za-z] and upper-cases the first letter
// (normalizeNameToAlphaNumericOnly).
func AlphaNumeric(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			b.WriteByte(c)
		}
	}
	return upperFirst(b.String())
}

// NormalizedResourceName replaces "-" with "Dash" and "_" with "Underscore"
// and upper-cases the first letter (getNormalizedResourceName). Other
// characters are kept, which is how "." and ":" reach logical IDs.
func NormalizedResourceName(s string) string {
	s = strings.ReplaceAll(s, "-", "Dash")
	s = strings.ReplaceAll(s, "_", "Underscore")
	return upperFirst(s)
}

// LambdaLogicalID is the logical ID of a function's AWS::Lambda::Function.
func LambdaLogicalID(function string) string {
	return NormalizedResourceName(function) + "LambdaFunction"
}

// StreamLogicalID is the EventSourceMapping's logical ID
// (getStreamLogicalId): function, stream type, alphanumeric stream name.
func StreamLogicalID(function, streamType, streamName string) string {
	return NormalizedResourceName(function) + "EventSourceMapping" + upperFirst(streamType) + AlphaNumeric(streamName)
}

// ConsumerName is the Kinesis consumer's name (getStreamConsumerName). With
// any consumerNamingMode set, service and stage are part of it.
func ConsumerName(function, streamName, service, stage string, namingMode bool) string {
	if namingMode {
		return function + streamName + service + stage + "Consumer"
	}
	return function + streamName + "Consumer"
}

// ConsumerLogicalID is the StreamConsumer's logical ID.
func ConsumerLogicalID(consumerName string) string {
	return NormalizedResourceName(consumerName) + "StreamConsumer"
}

// AliasLogicalID names the alias Serverless targets for a function with
// provisioned concurrency or SnapStart.
func AliasLogicalID(function, alias string) string {
	if alias == SnapStartAlias {
		return NormalizedResourceName(function) + "SnapStartLambdaAlias"
	}
	return NormalizedResourceName(function) + "ProvConcLambdaAlias"
}

// Alias names Serverless gives its function aliases.
const (
	ProvisionedAlias = "provisioned"
	SnapStartAlias   = "snapstart"
)

// DefaultRoleLogicalID is Serverless's shared execution role.
const DefaultRoleLogicalID = "IamRoleLambdaExecution"
