// Package stackref decides where the value of a standalone template's
// parameter comes from in the Serverless stack: which resource, and whether
// its physical ID is the value, the value follows from it (an ARN whose form
// is fixed), or a service must be asked. It does no I/O; internal/account
// does the reads.
package stackref

import (
	"fmt"
	"strings"
)

// Resource is one resource of the Serverless stack, as
// DescribeStackResources lists it.
type Resource struct {
	LogicalID, Type, PhysicalID, Status string
}

// Env is where the stack lives, read from its stack ID.
type Env struct {
	Partition, Region, Account string
}

// EnvFromStackID reads partition, region and account from a stack ARN
// (arn:aws:cloudformation:us-east-1:123456789012:stack/name/id).
func EnvFromStackID(id string) (Env, bool) {
	f := strings.SplitN(id, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[3] == "" || f[4] == "" {
		return Env{}, false
	}
	return Env{Partition: f[1], Region: f[3], Account: f[4]}, true
}

// Lookup says what must be asked to finish a Source.
type Lookup uint8

const (
	// Direct: Source.Value is the value.
	Direct Lookup = iota
	// TableStream: DynamoDB DescribeTable of Source.Value, its
	// LatestStreamArn (a table without a stream has none).
	TableStream
	// RoleARN: IAM GetRole of Source.Value, its Arn (the role's path is
	// part of the ARN and not of its name).
	RoleARN
)

// Source is where one value comes from.
type Source struct {
	Lookup Lookup
	Value  string // Direct: the value; otherwise the name to look up
	How    string // for people: "physical ID", "DynamoDB DescribeTable LatestStreamArn", ...
}

// attribute is how one Fn::GetAtt attribute of one resource type is found.
type attribute struct {
	lookup Lookup
	// derive builds the value from the physical ID and Env; nil means the
	// physical ID itself.
	derive func(id string, e Env) (string, bool)
	how    string
}

// attributes are the Fn::GetAtt attributes deploy can fill, by resource
// type. An ARN is derived only where its form is fixed by the physical ID;
// a role's ARN holds its path, so IAM is asked.
var attributes = map[string]map[string]attribute{
	"AWS::DynamoDB::Table": {
		"StreamArn": {lookup: TableStream, how: "DynamoDB DescribeTable LatestStreamArn"},
		"Arn":       {derive: arnOf("dynamodb", "table/"), how: "the table's ARN from its name"},
	},
	"AWS::DynamoDB::GlobalTable": {
		"StreamArn": {lookup: TableStream, how: "DynamoDB DescribeTable LatestStreamArn"},
		"Arn":       {derive: arnOf("dynamodb", "table/"), how: "the table's ARN from its name"},
	},
	"AWS::Kinesis::Stream": {
		"Arn": {derive: arnOf("kinesis", "stream/"), how: "the stream's ARN from its name"},
	},
	"AWS::Kinesis::StreamConsumer": {
		"ConsumerARN": {how: "physical ID"},
		"StreamARN":   {derive: consumerStream, how: "the stream part of the consumer's ARN"},
	},
	"AWS::SQS::Queue": {
		"Arn":       {derive: queueARN, how: "the queue's ARN from its URL"},
		"QueueName": {derive: lastSegment("/"), how: "the last part of the queue's URL"},
		"QueueUrl":  {how: "physical ID"},
	},
	"AWS::SNS::Topic": {
		"TopicArn":  {how: "physical ID"},
		"TopicName": {derive: lastSegment(":"), how: "the last part of the topic's ARN"},
	},
	"AWS::IAM::Role": {
		"Arn": {lookup: RoleARN, how: "IAM GetRole Arn"},
	},
	"AWS::Lambda::Function": {
		"Arn": {derive: arnOf("lambda", "function:"), how: "the function's ARN from its name"},
	},
}

// For returns where the value of Fn::GetAtt target.attr (Ref when attr is
// "") comes from, given the stack's resource r. The error says why it
// cannot be found.
func For(attr string, r Resource, e Env) (Source, error) {
	if r.PhysicalID == "" {
		return Source{}, fmt.Errorf("%s has no physical ID (status %s)", r.LogicalID, orDash(r.Status))
	}
	if attr == "" {
		return Source{Value: r.PhysicalID, How: "physical ID"}, nil
	}
	a, ok := attributes[r.Type][attr]
	if !ok {
		return Source{}, fmt.Errorf("deploy cannot read Fn::GetAtt %s.%s of a %s", r.LogicalID, attr, r.Type)
	}
	if a.derive == nil {
		return Source{Lookup: a.lookup, Value: r.PhysicalID, How: a.how}, nil
	}
	v, ok := a.derive(r.PhysicalID, e)
	if !ok {
		return Source{}, fmt.Errorf("the physical ID %q of %s is not in the form of a %s", r.PhysicalID, r.LogicalID, r.Type)
	}
	return Source{Lookup: a.lookup, Value: v, How: a.how}, nil
}

// Describe says, offline, where deploy will take Fn::GetAtt of a resource
// of type typ: compile prints it. typ "" is a resource the config does not
// define.
func Describe(typ, attr string) string {
	if attr == "" {
		return "its physical ID"
	}
	if a, ok := attributes[typ][attr]; ok {
		if a.how == "physical ID" {
			return "its physical ID"
		}
		return a.how
	}
	if typ == "" {
		return "not defined in resources; deploy looks it up by its type in the stack"
	}
	return fmt.Sprintf("no known source for %s of a %s: give it with --parameter", attr, typ)
}

func arnOf(service, prefix string) func(string, Env) (string, bool) {
	return func(id string, e Env) (string, bool) {
		if e.Account == "" || strings.HasPrefix(id, "arn:") {
			return id, strings.HasPrefix(id, "arn:")
		}
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s%s", e.Partition, service, e.Region, e.Account, prefix, id), true
	}
}

// queueARN derives arn:<partition>:sqs:<region>:<account>:<name> from a
// queue URL https://<host>/<account>/<name>, whatever the host.
func queueARN(url string, e Env) (string, bool) {
	parts := strings.Split(strings.TrimSuffix(url, "/"), "/")
	if len(parts) < 5 || !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return "", false
	}
	account, name := parts[len(parts)-2], parts[len(parts)-1]
	if account == "" || name == "" {
		return "", false
	}
	return fmt.Sprintf("arn:%s:sqs:%s:%s:%s", e.Partition, e.Region, account, name), true
}

// consumerStream cuts a consumer ARN
// (arn:...:stream/<name>/consumer/<consumer>:<timestamp>) to its stream's.
func consumerStream(id string, _ Env) (string, bool) {
	i := strings.Index(id, "/consumer/")
	return id[:max(i, 0)], i > 0 && strings.HasPrefix(id, "arn:")
}

func lastSegment(sep string) func(string, Env) (string, bool) {
	return func(id string, _ Env) (string, bool) {
		i := strings.LastIndex(strings.TrimSuffix(id, sep), sep)
		v := strings.TrimSuffix(id, sep)[i+1:]
		return v, i >= 0 && v != ""
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Value is a parameter's value and where it came from, for the preview and
// the job summary.
type Value struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Unfound is a parameter nobody could find, and why.
type Unfound struct {
	Name   string
	Reason string
}
