package compile

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// The key nodes of the properties the compiler writes, shared by every
// template (node.Key's); looked up once here rather than for each pair.
var (
	kType, kDependsOn, kProperties  = key("Type"), key("DependsOn"), key("Properties")
	kEffect, kAction, kResource     = key("Effect"), key("Action"), key("Resource")
	kRef, kGetAtt, kJoin            = key("Ref"), key("Fn::GetAtt"), key("Fn::Join")
	kStreamARN, kConsumerName       = key("StreamARN"), key("ConsumerName")
	kDestination, kOnFailure        = key("Destination"), key("OnFailure")
	kPattern, kFilters              = key("Pattern"), key("Filters")
	kBatchSize, kEnabled            = key("BatchSize"), key("Enabled")
	kEventSourceArn, kFunctionName  = key("EventSourceArn"), key("FunctionName")
	kParallel, kStartingPosition    = key("ParallelizationFactor"), key("StartingPosition")
	kBatchWindow, kRetryAttempts    = key("MaximumBatchingWindowInSeconds"), key("MaximumRetryAttempts")
	kBisect, kResponseTypes         = key("BisectBatchOnFunctionError"), key("FunctionResponseTypes")
	kRecordAge, kTumblingWindow     = key("MaximumRecordAgeInSeconds"), key("TumblingWindowInSeconds")
	kDestinationConfig, kFilterCrit = key("DestinationConfig"), key("FilterCriteria")
	kTimestamp                      = key("StartingPositionTimestamp")
)

func key(k string) *node.Node { return node.Key(k, diag.Range{}) }

// set is node.Set with a shared key node: in place when the key exists,
// else appended.
func set(m *node.Node, key, v *node.Node) {
	for i := range m.Pairs {
		if m.Pairs[i].Key.Str == key.Str {
			m.Pairs[i].Value = v
			return
		}
	}
	m.Pairs = append(m.Pairs, node.Pair{Key: key, Value: v})
}
