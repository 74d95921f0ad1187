package deploy

import (
	"sort"
	"time"
)

// Mode selects how far Deploy goes.
type Mode uint8

const (
	// Preview creates and describes the change set, then deletes it unless
	// Input.KeepChangeSet is set. Nothing in the stack changes.
	Preview Mode = iota + 1
	// Execute also executes the change set and waits for the stack.
	Execute
)

// String returns the CLI spelling of m ("preview" or "execute").
func (m Mode) String() string {
	switch m {
	case Preview:
		return "preview"
	case Execute:
		return "execute"
	}
	return "unknown"
}

// ParseMode reads the CLI spelling of a mode.
func ParseMode(s string) (Mode, bool) {
	switch s {
	case "preview":
		return Preview, true
	case "execute":
		return Execute, true
	}
	return 0, false
}

// Tag is one stack tag. Tags are a list, not a map, so the order the user
// wrote is the order sent and shown.
type Tag struct {
	Key, Value string
}

// TagsFromMap returns m as tags sorted by key, for callers holding a map.
func TagsFromMap(m map[string]string) []Tag {
	tags := make([]Tag, 0, len(m))
	for k, v := range m {
		tags = append(tags, Tag{k, v})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return tags
}

// Input describes one deployment.
type Input struct {
	StackName string
	// TemplateBody is the template as JSON. Up to MaxInlineTemplateSize bytes
	// are sent inline; larger templates need S3Bucket.
	TemplateBody []byte
	Mode         Mode
	Tags         []Tag
	// RoleARN is the CloudFormation service role, not the caller's role.
	RoleARN  string
	S3Bucket string
	// Timeout bounds the whole deployment, including waiting for a busy
	// stack. Zero means DefaultTimeout.
	Timeout               time.Duration
	TerminationProtection bool
	DisableRollback       bool
	KeepChangeSet         bool
}

// For is in, the stack settings the CLI's flags or the Action's inputs
// gave, for one stack's name, template and mode.
func (in Input) For(stack string, body []byte, mode Mode) Input {
	in.StackName, in.TemplateBody, in.Mode = stack, body, mode
	return in
}

// Tags turns ordered key=value settings into stack tags.
func Tags(keys []string, value func(string) string) []Tag {
	var out []Tag
	for _, k := range keys {
		out = append(out, Tag{Key: k, Value: value(k)})
	}
	return out
}

// Change is one resource change of a change set.
type Change struct {
	Action      string   `json:"action"` // Add, Modify, Remove, Import, Dynamic
	LogicalID   string   `json:"logicalId"`
	PhysicalID  string   `json:"physicalId,omitempty"`
	Type        string   `json:"type"`        // e.g. AWS::Lambda::EventSourceMapping
	Replacement string   `json:"replacement"` // True, False, Conditional or "" for Add/Remove
	Scope       []string `json:"scope,omitempty"`
	Details     string   `json:"details,omitempty"` // human summary of what changes
	// Targets are the changed attributes as CloudFormation reports them; the
	// replacement check reads them, renderers use Details.
	Targets []Target `json:"-"`
}

// Target is one changed attribute of a resource.
type Target struct {
	Attribute          string // Properties, Tags, Metadata, ...
	Name               string // property name when Attribute is Properties
	RequiresRecreation string // Never, Conditionally, Always
}

// Output is one stack output.
type Output struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// StackEvent is one CloudFormation stack event.
type StackEvent struct {
	ID           string
	Timestamp    time.Time
	LogicalID    string
	PhysicalID   string
	ResourceType string
	Status       string
	Reason       string
}

// Result is what a deployment did. Deploy returns it, partly filled, even
// with an error, so the caller can still report IDs and failures.
type Result struct {
	StackID       string
	StackName     string
	StackStatus   string
	ChangeSetID   string
	ChangeSetName string
	// ChangeSetType is CREATE or UPDATE.
	ChangeSetType string
	HasChanges    bool
	Changes       []Change
	Outputs       []Output
	// FailedEvents are the first failing resource events of a failed
	// execution, root causes first, for the caller to turn into annotations.
	FailedEvents []StackEvent
	// Recreated reports that a ROLLBACK_COMPLETE stack was deleted first.
	Recreated bool
	// ChangeSetDeleted reports that the change set no longer exists.
	ChangeSetDeleted bool
}

// EventKind says how the CLI should show an Event.
type EventKind uint8

const (
	EventLog        EventKind = iota + 1 // informational line
	EventWarning                         // something the user should notice
	EventStack                           // a CloudFormation stack event
	EventGroupStart                      // start of a foldable group; Message is its title
	EventGroupEnd                        // end of the current group
)

// Event is one live progress line for the log.
type Event struct {
	Kind EventKind
	// Message is ready to print: for EventStack it is FormatEvent's line.
	Message string
	// Stack and Elapsed are set for EventStack.
	Stack   StackEvent
	Elapsed time.Duration
}
