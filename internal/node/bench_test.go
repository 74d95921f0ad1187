package node

import (
	"io"
	"strconv"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

// benchTemplate has the shape of the serverless template of 1000 functions
// of 4 stream events each: 5000 resources and 3000 role statements.
func benchTemplate() *Node {
	r := diag.Range{}
	s := func(v string) *Node { return NewString(v, r) }
	resources := NewMap(r)
	for f := range 1000 {
		fn := "Fn" + strconv.Itoa(f)
		target := mapOf("Fn::GetAtt", NewSeq(r, s(fn+"LambdaFunction"), s("Arn")))
		for e := range 4 {
			props := mapOf("BatchSize", NewNumber(100, r), "Enabled", NewBool(true, r),
				"EventSourceArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"+strconv.Itoa(f),
				"FunctionName", target, "ParallelizationFactor", (*Node)(nil), "StartingPosition", "LATEST",
				"FilterCriteria", mapOf("Filters", NewSeq(r, mapOf("Pattern", `{"eventName":["INSERT"],"dynamodb":{"NewImage":{"status":{"S":["PAID"]}}}}`))))
			resources.Pairs = append(resources.Pairs, Pair{Key: s(fn + "EventSourceMappingKinesisS" + strconv.Itoa(e)), Value: mapOf("Type", "AWS::Lambda::EventSourceMapping",
				"DependsOn", NewSeq(r, s("IamRoleLambdaExecution")), "Properties", props)})
		}
		resources.Pairs = append(resources.Pairs, Pair{Key: s(fn + "StreamConsumer"), Value: mapOf("Type", "AWS::Kinesis::StreamConsumer",
			"Properties", mapOf("StreamARN", "arn:aws:kinesis:eu-west-1:123456789012:stream/s", "ConsumerName", fn+"Consumer"))})
	}
	statements := NewSeq(r)
	for f := range 3000 {
		statements.Items = append(statements.Items, mapOf("Effect", "Allow",
			"Action", NewSeq(r, s("kinesis:GetRecords"), s("kinesis:GetShardIterator")),
			"Resource", NewSeq(r, s("arn:aws:kinesis:eu-west-1:123456789012:stream/s"+strconv.Itoa(f)))))
	}
	resources.Set("IamRoleLambdaExecution", mapOf("Properties", mapOf("Policies", NewSeq(r,
		mapOf("PolicyDocument", mapOf("Statement", statements))))))
	return mapOf("AWSTemplateFormatVersion", "2010-09-09", "Resources", resources)
}

// BenchmarkIndent encodes the template of 1000 functions in memory.
func BenchmarkIndent(b *testing.B) {
	t := benchTemplate()
	b.SetBytes(int64(len(t.Indent())))
	b.ReportAllocs()
	for b.Loop() {
		t.Indent()
	}
}

// BenchmarkWriteIndent streams it, as compile writes to its output.
func BenchmarkWriteIndent(b *testing.B) {
	t := benchTemplate()
	b.SetBytes(int64(len(t.Indent())))
	b.ReportAllocs()
	for b.Loop() {
		if err := t.WriteIndent(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
