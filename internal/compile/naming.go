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
	i := 0
	for i < len(s) && !alphaNumeric[s[i]] {
		i++
	}
	if i == len(s) {
		return
	}
	c := s[i]
	if c >= 'a' {
		c -= 'a' - 'A' // upperFirst: all ASCII here
	}
	b.WriteByte(c)
	// The runs between other symbols are written whole.
	start := i + 1
	for j := start; j < len(s); j++ {
		if !alphaNumeric[s[j]] {
			b.WriteString(s[start:j])
			start = j + 1
		}
	}
	b.WriteString(s[start:])
}

// alphaNumeric marks [0-9A-Za-z].
var alphaNumeric = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
	}
	return t
}()

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
	start := 0
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		b.WriteByte(s[0] - ('a' - 'A'))
		start = 1
	}
	// The runs between '-' and '_' are written whole.
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '-':
			b.WriteString(s[start:i])
			b.WriteString("Dash")
			start = i + 1
		case '_':
			b.WriteString(s[start:i])
			b.WriteString("Underscore")
			start = i + 1
		}
	}
	b.WriteString(s[start:])
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
