package preflight

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
)

// MaxConsumers is how many consumers Kinesis registers on one stream.
const MaxConsumers = 20

// maxDynamoReaders is how many functions can read one DynamoDB stream
// before they throttle each other.
const maxDynamoReaders = 2

// Check reads what targets need and returns a finding for each problem.
// An error is a read that failed.
func Check(ctx context.Context, acct Account, stacks Stacks, targets []Target) (diag.Findings, error) {
	c := &checker{ctx: ctx, acct: acct, stacks: stacks}
	for _, t := range targets {
		if err := c.target(t); err != nil {
			return nil, err
		}
	}
	if err := c.consumers(targets); err != nil {
		return nil, err
	}
	if err := c.readers(targets); err != nil {
		return nil, err
	}
	return c.findings.Sorted(), nil
}

type checker struct {
	ctx      context.Context
	acct     Account
	stacks   Stacks
	owned    map[string]map[string]string // stack -> UUID -> logical ID
	findings diag.Findings
}

func (c *checker) add(t Target, rule, format string, args ...any) {
	sev := diag.Error
	if rule == RuleReaders {
		sev = diag.Warning
	}
	c.findings = append(c.findings, diag.Finding{Rule: rule, Severity: sev, Range: t.Range, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) target(t Target) error {
	if err := c.function(t); err != nil {
		return err
	}
	if err := c.source(t); err != nil {
		return err
	}
	if t.Role != "" {
		ok, err := c.acct.Role(c.ctx, t.Role)
		if err != nil {
			return err
		}
		if !ok {
			c.add(t, RuleRole, "the execution role %s of function %s does not exist", t.Role, t.Function)
		}
	}
	if err := c.destination(t); err != nil {
		return err
	}
	return c.overlap(t)
}

func (c *checker) function(t Target) error {
	if t.Function == "" {
		return nil
	}
	ok, err := c.acct.Function(c.ctx, t.Function, "")
	if err != nil {
		return err
	}
	if !ok {
		c.add(t, RuleFunction, "function %s does not exist; deploy the Serverless stack (serverless deploy) before the stream stack", t.Function)
		return nil
	}
	if t.Alias == "" {
		return nil
	}
	if ok, err = c.acct.Function(c.ctx, t.Function, t.Alias); err != nil || ok {
		return err
	}
	c.add(t, RuleFunction, "function %s has no alias %s, which the mapping targets (Serverless creates it for provisionedConcurrency or snapStart); deploy the Serverless stack with that setting first", t.Function, t.Alias)
	return nil
}

func (c *checker) source(t Target) error {
	switch {
	case t.Stream == "":
		return nil
	case t.Kind == "kinesis":
		s, err := c.acct.KinesisStream(c.ctx, t.Stream)
		switch {
		case err != nil:
			return err
		case !s.Exists:
			c.add(t, RuleSource, "Kinesis stream %s does not exist", t.Stream)
		case s.Status != "" && s.Status != "ACTIVE" && s.Status != "UPDATING": // "": not said, not refused
			c.add(t, RuleSource, "Kinesis stream %s is %s; a mapping needs it ACTIVE or UPDATING", t.Stream, s.Status)
		}
	case t.Kind == "dynamodb":
		table, ok := TableOfStream(t.Stream)
		if !ok {
			return nil // lint's arn-format reports it
		}
		tb, err := c.acct.Table(c.ctx, table)
		switch {
		case err != nil:
			return err
		case !tb.Exists:
			c.add(t, RuleSource, "DynamoDB table %s of stream %s does not exist", table, t.Stream)
		case !tb.StreamEnabled || tb.LatestStream == "":
			c.add(t, RuleSource, "DynamoDB table %s has no enabled stream; set its StreamSpecification", table)
		case tb.LatestStream != t.Stream:
			c.add(t, RuleSource, "%s is not the current stream of table %s (a stale label, e.g. after the table was re-created); its current stream is %s", t.Stream, table, tb.LatestStream)
		}
	}
	return nil
}

// TableOfStream is the table name in a DynamoDB stream ARN
// (arn:aws:dynamodb:r:a:table/NAME/stream/LABEL).
func TableOfStream(arn string) (string, bool) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[2] != "dynamodb" {
		return "", false
	}
	parts := strings.Split(f[5], "/")
	if len(parts) != 4 || parts[0] != "table" || parts[2] != "stream" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

func (c *checker) destination(t Target) error {
	f := strings.SplitN(t.Destination, ":", 6)
	if len(f) != 6 {
		return nil
	}
	var ok bool
	var err error
	switch f[2] {
	case "sqs":
		ok, err = c.acct.Queue(c.ctx, t.Destination)
	case "sns":
		ok, err = c.acct.Topic(c.ctx, t.Destination)
	default:
		return nil
	}
	if err == nil && !ok {
		c.add(t, RuleDestination, "the onFailure destination %s does not exist", t.Destination)
	}
	return err
}

// overlap reports a mapping for the same function and source that this
// stack does not own: Lambda refuses a second one (or moto and some
// accounts keep both, and every record is processed twice).
func (c *checker) overlap(t Target) error {
	if t.Function == "" || t.Source == "" {
		return nil
	}
	fn := t.Function
	if t.Alias != "" {
		fn += ":" + t.Alias
	}
	ms, err := c.acct.Mappings(c.ctx, fn, t.Source)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !sameFunction(m.Function, fn) {
			continue
		}
		ours, err := c.owner(c.stacks.Streams, m.UUID)
		if err != nil || ours != "" {
			return err
		}
		sls, err := c.owner(c.stacks.Serverless, m.UUID)
		if err != nil {
			return err
		}
		owner, todo := "not managed by CloudFormation", "delete it (aws lambda delete-event-source-mapping --uuid "+m.UUID+") or leave this event to whoever made it"
		if sls != "" {
			owner = fmt.Sprintf("the Serverless stack %s (%s)", c.stacks.Serverless, sls)
			todo = "remove the event from one of the two configs, or move the mapping into this stack in the documented order"
		}
		c.add(t, RuleMappingExists, "a mapping of function %s on %s already exists: UUID %s, state %s, owner: %s; this stack would create a second one: %s (see %s)",
			fn, t.Source, m.UUID, m.State, owner, todo, DocsSection)
	}
	return nil
}

// sameFunction compares Lambda's function ARN with a name or name:alias.
func sameFunction(arn, fn string) bool {
	_, after, ok := strings.Cut(arn, ":function:")
	if !ok {
		return arn == fn
	}
	return after == fn
}

// owner is the logical ID under which stack owns the mapping, or "".
func (c *checker) owner(stack, uuid string) (string, error) {
	if stack == "" {
		return "", nil
	}
	if c.owned == nil {
		c.owned = map[string]map[string]string{}
	}
	ids, ok := c.owned[stack]
	if !ok {
		var err error
		if ids, err = c.acct.StackMappings(c.ctx, stack); err != nil {
			return "", err
		}
		c.owned[stack] = ids
	}
	return ids[uuid], nil
}

// consumers refuses a stream whose registered consumers and the ones
// this template adds would pass MaxConsumers.
func (c *checker) consumers(targets []Target) error {
	adds := map[string]map[string]bool{} // stream -> new consumer names
	first := map[string]Target{}
	var streams []string
	for _, t := range targets {
		if t.Consumer == "" || t.Stream == "" {
			continue
		}
		if adds[t.Stream] == nil {
			adds[t.Stream] = map[string]bool{}
			first[t.Stream] = t
			streams = append(streams, t.Stream)
		}
		adds[t.Stream][t.Consumer] = true
	}
	for _, s := range streams {
		names, err := c.acct.StreamConsumers(c.ctx, s)
		if err != nil {
			return err
		}
		total := len(names)
		for n := range adds[s] {
			if !contains(names, n) {
				total++
			}
		}
		if total > MaxConsumers {
			c.add(first[s], RuleConsumers, "Kinesis stream %s has %d registered consumer(s); with this template's it would have %d, over Kinesis's limit of %d per stream",
				s, len(names), total, MaxConsumers)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readers warns when more than two functions would read one DynamoDB
// stream: the ones with a mapping already and this template's.
func (c *checker) readers(targets []Target) error {
	fns := map[string]map[string]bool{}
	first := map[string]Target{}
	var streams []string
	for _, t := range targets {
		if t.Kind != "dynamodb" || t.Source == "" || t.Function == "" {
			continue
		}
		if fns[t.Source] == nil {
			fns[t.Source] = map[string]bool{}
			first[t.Source] = t
			streams = append(streams, t.Source)
		}
		fns[t.Source][t.Function] = true
	}
	for _, s := range streams {
		ms, err := c.acct.Mappings(c.ctx, "", s)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if _, after, ok := strings.Cut(m.Function, ":function:"); ok {
				name, _, _ := strings.Cut(after, ":")
				fns[s][name] = true
			}
		}
		if len(fns[s]) > maxDynamoReaders {
			names := make([]string, 0, len(fns[s]))
			for n := range fns[s] {
				names = append(names, n)
			}
			sort.Strings(names)
			c.add(first[s], RuleReaders, "%d functions would read DynamoDB stream %s (%s); more than %d readers of one stream throttle each other: fan out through one function or Kinesis",
				len(names), s, strings.Join(names, ", "), maxDynamoReaders)
		}
	}
	return nil
}
