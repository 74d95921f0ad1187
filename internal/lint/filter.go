package lint

import "github.com/stream-events/stream-events/internal/node"

// patterns returns the event's filter patterns that can be known offline.
func (e *event) patterns() []*node.Node {
	if !e.patsOK {
		e.pats, e.patsOK = e.computePatterns(), true
	}
	return e.pats
}

func (e *event) computePatterns() []*node.Node {
	f := e.get("filterPatterns")
	if !f.IsSeq() || opaque(f) {
		return nil
	}
	var out []*node.Node
	for _, it := range f.Items {
		if it.IsMap() && !deepOpaque(it) {
			out = append(out, it)
		}
	}
	return out
}

// Fields of the records Lambda filters, per stream type. Kinesis records
// are filtered on their payload under "data" and on the metadata of the
// record's "kinesis" object, written at the top level; DynamoDB records on
// their own top-level fields, the change being under "dynamodb".
var (
	kinesisKeys  = []string{"data", "partitionKey", "sequenceNumber", "approximateArrivalTimestamp", "kinesisSchemaVersion", "encryptionType"}
	dynamodbKeys = []string{"dynamodb", "eventName", "eventID", "eventVersion", "eventSource", "awsRegion", "eventSourceARN", "userIdentity"}
	// dynamodbChangeKeys are the fields of a record's "dynamodb" object.
	dynamodbChangeKeys = []string{"Keys", "NewImage", "OldImage", "SequenceNumber", "SizeBytes", "StreamViewType", "ApproximateCreationDateTime", "ApproximateCreationDateTimePrecision"}
	// dynamodbTypes are the attribute value type descriptors.
	dynamodbTypes = []string{"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}
	// operators Lambda event filtering supports inside a rule list.
	operators = []string{"anything-but", "numeric", "exists", "prefix", "suffix", "equals-ignore-case"}
)

func dataKey(typ string) string {
	if typ == "kinesis" {
		return "data"
	}
	return "dynamodb"
}

func keysFor(typ string) []string {
	switch typ {
	case "kinesis":
		return kinesisKeys
	case "dynamodb":
		return dynamodbKeys
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// walkRules calls fn for every rule list (a leaf array) of a pattern with
// its key. It builds no key path: a copy per level made a deeply nested
// pattern cost memory quadratic in its depth.
func walkRules(n *node.Node, fn func(key *node.Node, list *node.Node)) {
	for _, pr := range n.Pairs {
		if pr.Value.IsMap() {
			walkRules(pr.Value, fn)
			continue
		}
		fn(pr.Key, pr.Value)
	}
}
