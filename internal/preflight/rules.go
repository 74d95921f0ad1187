package preflight

import "github.com/stream-events/stream-events/internal/diag"

// The pre-flight's rule IDs.
const (
	RuleFunction      = "preflight-function"
	RuleSource        = "preflight-source"
	RuleRole          = "preflight-role"
	RuleDestination   = "preflight-destination"
	RuleMappingExists = "preflight-mapping-exists"
	RuleConsumers     = "preflight-consumers"
	RuleReaders       = "preflight-readers"
)

const skipHelp = " `--no-preflight` (input `preflight: false`) skips the pre-flight."

// Rules describes the pre-flight's rules for the registry.
func Rules() []diag.Rule {
	return []diag.Rule{
		{ID: RuleFunction, Severity: diag.Error,
			Summary:     "a target function or its alias does not exist",
			Description: "Before any change set, deploy checks that each mapping's function exists (Lambda GetFunction), and its alias when provisioned concurrency or SnapStart make the mapping target one.",
			Help:        "Deploy the Serverless stack (`serverless deploy`) first: the stream stack only adds mappings to its functions." + skipHelp},
		{ID: RuleSource, Severity: diag.Error,
			Summary:     "a stream source that does not exist or cannot be read",
			Description: "The Kinesis stream must exist and be ACTIVE or UPDATING; the DynamoDB table must have an enabled stream, and a literal stream ARN must be the table's current stream (a table re-created gets a new stream label).",
			Help:        "Use the ARN the message names as current, or `!GetAtt Table.StreamArn` so deploy reads it from the Serverless stack." + skipHelp},
		{ID: RuleRole, Severity: diag.Error,
			Summary:     "an execution role that does not exist",
			Description: "The stream policy is attached to each function's execution role by name; the role must exist (IAM GetRole).",
			Help:        "Check `role:` and `--role-name`, or deploy the Serverless stack that defines the role first." + skipHelp},
		{ID: RuleDestination, Severity: diag.Error,
			Summary:     "an onFailure destination that does not exist",
			Description: "The SQS queue or SNS topic of `destinations.onFailure` must exist before the mapping is created (SQS GetQueueUrl, SNS GetTopicAttributes).",
			Help:        "Create the queue or topic, or correct its ARN." + skipHelp},
		{ID: RuleMappingExists, Severity: diag.Error,
			Summary:     "a mapping for the same function and source that another owner has",
			Description: "Lambda already has a mapping of the function on the same source (ListEventSourceMappings), and this stack does not own it: the change set would fail, or the records would be processed twice. The message names its UUID, state and owner: the Serverless stack when its resources list the UUID, else not managed by CloudFormation.",
			Help:        "Give each mapping one owner: see \"Next to `serverless deploy`\" in docs/deploy.md (remove the event from one config, or move the mapping in the documented order)."},
		{ID: RuleConsumers, Severity: diag.Error,
			Summary:     "a Kinesis stream that would have more than 20 consumers",
			Description: "Kinesis registers at most 20 enhanced fan-out consumers per stream; the stream's consumers (ListStreamConsumers) plus the ones this template adds would pass it.",
			Help:        "Share a consumer between functions, or deregister unused consumers." + skipHelp},
		{ID: RuleReaders, Severity: diag.Warning,
			Summary:     "more than two functions reading one DynamoDB stream",
			Description: "DynamoDB Streams serves at most two readers per shard without throttling; the functions with a mapping on the stream already plus this template's would be more.",
			Help:        "Fan out through one function, or through a Kinesis stream (Kinesis Data Streams for DynamoDB)."},
	}
}
