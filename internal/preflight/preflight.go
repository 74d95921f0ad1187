// Package preflight checks, before any change set, that what a standalone
// template's mappings need exists in the account and that no other owner
// already has the same mapping: the target functions (and their aliases),
// the sources, the execution roles, the onFailure destinations, the
// mappings Lambda already holds for the same function and source, the
// Kinesis consumer quota and the DynamoDB readers per stream. Each problem
// is a finding at the stream event in serverless.yml.
//
// The reads go through Account (internal/account implements it over the
// SDK clients); this package only decides. A failed read is returned as
// is: the caller maps an AccessDenied to its exit status.
package preflight

import (
	"context"
)

// Account is what the pre-flight reads. A resource that does not exist is
// no error: its fact says so.
type Account interface {
	// Function reports whether the function (qualifier "": its $LATEST;
	// else the alias) exists.
	Function(ctx context.Context, name, qualifier string) (bool, error)
	Role(ctx context.Context, name string) (bool, error)
	KinesisStream(ctx context.Context, arn string) (Stream, error)
	// StreamConsumers are the names of the stream's registered consumers.
	StreamConsumers(ctx context.Context, streamARN string) ([]string, error)
	Table(ctx context.Context, name string) (Table, error)
	Queue(ctx context.Context, arn string) (bool, error)
	Topic(ctx context.Context, arn string) (bool, error)
	// Mappings are Lambda's event source mappings for function (a name,
	// with ":alias" when qualified) and source; either may be "" to match
	// any.
	Mappings(ctx context.Context, function, source string) ([]Mapping, error)
	// StackMappings are the mapping UUIDs a stack owns (its physical IDs
	// of AWS::Lambda::EventSourceMapping), by UUID the logical ID; a stack
	// that does not exist owns none.
	StackMappings(ctx context.Context, stack string) (map[string]string, error)
}

// Stream is a Kinesis stream as DescribeStreamSummary reports it.
type Stream struct {
	Exists bool
	Status string // ACTIVE, UPDATING, CREATING, DELETING
}

// Table is a DynamoDB table as DescribeTable reports it.
type Table struct {
	Exists        bool
	StreamEnabled bool
	LatestStream  string // the current stream's ARN
}

// Mapping is an event source mapping that exists.
type Mapping struct {
	UUID     string
	State    string // Enabled, Creating, Disabled...
	Function string // the function's ARN (with its qualifier)
	Source   string
}

// Stacks names the two stacks that may own a mapping.
type Stacks struct {
	Streams    string // the stack this deploy creates or updates
	Serverless string // the stack `serverless deploy` made
}

// DocsSection is where docs/deploy.md says how to give a mapping one
// owner.
const DocsSection = "docs/deploy.md#next-to-serverless-deploy"
