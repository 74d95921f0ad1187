package compile

import (
	"strings"
)

// The names below follow lib/plugins/aws/lib/naming.js of Serverless v3.

// AlphaNumeric keeps only [0-9A-Za-z] and upper-cases the first letter
// (normalizeNameToAlphaNumericOnly).
func AlphaNumeric(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	writeAlphaNumeric(&b, s)
	return b.String()
}

func writeAlphaNumeric(b *strings.Builder, s string) {
	first := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			if first && c >= 'a' {
				c -= 'a' - 'A' // upperFirst: all ASCII here
			}
			first = false
			b.WriteByte(c)
		}
	}
}

// NormalizedResourceName replaces "-" with "Dash" and "_" with "Underscore"
// and upper-cases the first letter (getNormalizedResourceName). Other
// characters are kept, which is how "." and ":" reach logical IDs.
func NormalizedResourceName(s string) string {
	if strings.IndexByte(s, '-') < 0 && strings.IndexByte(s, '_') < 0 {
		return upperFirst(s)
	}
	var b strings.Builder
	b.Grow(normalizedLen(s))
	writeNormalized(&b, s)
	return b.String()
}

// normalizedLen is the length of NormalizedResourceName(s), give or take
// an upper-cased first symbol.
func normalizedLen(s string) int {
	return len(s) + 3*strings.Count(s, "-") + 9*strings.Count(s, "_")
}

// writeNormalized writes NormalizedResourceName(s) without building the
// intermediate strings.
func writeNormalized(b *strings.Builder, s string) {
	if s != "" && !asciiFirst(s) && s[0] != '-' && s[0] != '_' {
		// A first symbol beyond ASCII, or with marks after it: only
		// upperFirst knows how far it reaches.
		s = strings.ReplaceAll(strings.ReplaceAll(s, "-", "Dash"), "_", "Underscore")
		b.WriteString(upperFirst(s))
		return
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '-':
			b.WriteString("Dash")
		case c == '_':
			b.WriteString("Underscore")
		case i == 0 && c >= 'a' && c <= 'z':
			b.WriteByte(c - ('a' - 'A'))
		default:
			b.WriteByte(c)
		}
	}
}

// LambdaLogicalID is the logical ID of a function's AWS::Lambda::Function.
func LambdaLogicalID(function string) string {
	return NormalizedResourceName(function) + "LambdaFunction"
}

// StreamLogicalID is the EventSourceMapping's logical ID
// (getStreamLogicalId): function, stream type, alphanumeric stream name.
func StreamLogicalID(function, streamType, streamName string) string {
	return streamLogicalID(NormalizedResourceName(function), streamType, streamName)
}

// streamLogicalID is StreamLogicalID of a normalized function name, built
// in one allocation: a service has thousands.
func streamLogicalID(normalized, streamType, streamName string) string {
	const esm = "EventSourceMapping"
	var b strings.Builder
	b.Grow(len(normalized) + len(esm) + len(streamType) + 2 + len(streamName))
	b.WriteString(normalized)
	b.WriteString(esm)
	writeUpperFirst(&b, streamType)
	writeAlphaNumeric(&b, streamName)
	return b.String()
}

// ConsumerName is the Kinesis consumer's name (getStreamConsumerName). With
// any consumerNamingMode set, service and stage are part of it.
func ConsumerName(function, streamName, service, stage string, namingMode bool) string {
	if namingMode {
		return function + streamName + service + stage + "Consumer"
	}
	return function + streamName + "Consumer"
}

// newConsumer is the Consumer of ConsumerName(function, streamName,
// service, stage, namingMode): its name and logical ID share one
// allocation, the ID written after the name.
func newConsumer(function, streamName, service, stage string, namingMode bool) *Consumer {
	const suffix = "StreamConsumer"
	var b strings.Builder
	n := len(function) + len(streamName) + len(service) + len(stage) + len("Consumer")
	b.Grow(2*n + 3*strings.Count(function, "-") + 9*strings.Count(function, "_") + 8 + len(suffix))
	b.WriteString(function)
	b.WriteString(streamName)
	if namingMode {
		b.WriteString(service)
		b.WriteString(stage)
	}
	b.WriteString("Consumer")
	// The name written so far: later writes leave its bytes as they are.
	name := b.String()
	writeNormalized(&b, name)
	b.WriteString(suffix)
	return &Consumer{Name: name, LogicalID: b.String()[len(name):]}
}

// ConsumerLogicalID is the StreamConsumer's logical ID.
func ConsumerLogicalID(consumerName string) string {
	const suffix = "StreamConsumer"
	var b strings.Builder
	b.Grow(normalizedLen(consumerName) + 2 + len(suffix))
	writeNormalized(&b, consumerName)
	b.WriteString(suffix)
	return b.String()
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
