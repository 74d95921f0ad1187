package lint

import (
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/lazyre"
)

// arn is a parsed ARN: arn:partition:service:region:account:resource.
type arn struct {
	partition, service, region, account, resource string
}

// placeholder matches the serverless-pseudo-parameters form #{AWS::Region}
// and unresolved ${...} variables: such a segment may hold anything.
var placeholder = lazyre.New(`[#$]\{[^}]*\}`)

const wildcard = "\x00"

// parseARN splits s; placeholders become the wildcard marker first, since
// "#{AWS::Region}" holds colons of its own.
func parseARN(s string) (arn, bool) {
	if strings.Contains(s, "{") {
		s = placeholder.ReplaceAllString(s, wildcard)
	}
	// strings.SplitN(s, ":", 6) without the slice: every rule on ARNs
	// parses every event's.
	var parts [6]string
	for i := range 5 {
		c := strings.IndexByte(s, ':')
		if c < 0 {
			return arn{}, false
		}
		parts[i], s = s[:c], s[c+1:]
	}
	parts[5] = s
	if parts[0] != "arn" {
		return arn{}, false
	}
	return arn{parts[1], parts[2], parts[3], parts[4], parts[5]}, true
}

var (
	partitionRE = lazyre.New(`^aws(-[a-z]+)*$`)
	regionRE    = lazyre.New(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$`)
	accountRE   = lazyre.New(`^\d{12}$`)
	// nameRE is a Kinesis stream or consumer name.
	nameRE = lazyre.New(`^[a-zA-Z0-9_.-]{1,128}$`)
	// tableRE is a DynamoDB table name.
	tableRE = lazyre.New(`^[a-zA-Z0-9_.-]{3,255}$`)
	epochRE = lazyre.New(`^[0-9]+$`)
)

// matches reports whether v matches re, a wildcard matching anything.
func matches(re *lazyre.Regexp, v string) bool {
	return strings.Contains(v, wildcard) || re.MatchString(v)
}

// commonProblem checks the partition, region and account segments.
func (a arn) commonProblem() string {
	switch {
	case !matches(partitionRE, a.partition):
		return "partition " + quote(a.partition) + " is not aws, aws-cn or aws-us-gov"
	case !matches(regionRE, a.region):
		return "region " + quote(a.region) + " is not an AWS region such as us-east-1"
	case !matches(accountRE, a.account):
		return "account " + quote(a.account) + " is not a 12-digit account ID"
	}
	return ""
}

// kinesisStream returns the stream name and, for a consumer ARN, the
// consumer part; problem explains what is malformed.
func (a arn) kinesis() (stream, consumer, problem string) {
	if p := a.commonProblem(); p != "" {
		return "", "", p
	}
	rest, ok := strings.CutPrefix(a.resource, "stream/")
	if !ok {
		return "", "", "the resource " + quote(a.resource) + " does not start with \"stream/\""
	}
	stream, consumer, isConsumer := strings.Cut(rest, "/consumer/")
	if !matches(nameRE, stream) {
		return "", "", "stream name " + quote(stream) + " must be 1 to 128 letters, digits, \"_\", \".\" or \"-\""
	}
	if !isConsumer {
		return stream, "", ""
	}
	name, epoch, ok := strings.Cut(consumer, ":")
	if !ok || !matches(nameRE, name) || !matches(epochRE, epoch) {
		return "", "", "the consumer part " + quote(consumer) + " is not <consumer-name>:<creation-timestamp>"
	}
	return stream, consumer, ""
}

// dynamodbStream checks a DynamoDB stream ARN; table reports a table ARN
// (no "/stream/"), which rule table-arn explains.
func (a arn) dynamodbStream() (table bool, problem string) {
	rest, isTable := strings.CutPrefix(a.resource, "table/")
	name, label, isStream := strings.Cut(rest, "/stream/")
	if isTable && !isStream && !strings.Contains(rest, "/") {
		// A table ARN is the bigger mistake; its segments hardly matter.
		return true, "it is a table ARN"
	}
	if p := a.commonProblem(); p != "" {
		return false, p
	}
	if !isTable {
		return false, "the resource " + quote(a.resource) + " does not start with \"table/\""
	}
	if !isStream {
		return false, "the resource " + quote(a.resource) + " is not table/<name>/stream/<label>"
	}
	if !matches(tableRE, name) {
		return false, "table name " + quote(name) + " must be 3 to 255 letters, digits, \"_\", \".\" or \"-\""
	}
	if label == "" {
		return false, "the stream label after \"/stream/\" is empty"
	}
	return false, ""
}

func quote(s string) string {
	return strconv.Quote(strings.ReplaceAll(s, wildcard, "…"))
}
