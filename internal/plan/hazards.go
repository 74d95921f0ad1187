package plan

import (
	"fmt"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Rule describes one kind of hazard, for the rule registry
// (internal/rules: SARIF rules, documentation).
type Rule = diag.Rule

// The hazard rules.
var (
	RuleReplaceConflict = Rule{ID: "plan-replace-conflict", Summary: "a replaced mapping whose function and source stay the same (the deploy fails)", Severity: diag.Error,
		Description: "An event source mapping is replaced while its function and source stay the same: CloudFormation creates the new mapping before it deletes the old one, and Lambda refuses a second mapping for the same function and source (ResourceConflictException), so the deploy fails and rolls back.",
		Help:        "Deploy in two steps: first without the stream event (the old mapping is deleted), then with it (the new mapping is created). Or keep the create-only properties (EventSourceArn, StartingPosition, StartingPositionTimestamp) as deployed."}
	RuleStartingPosition = Rule{ID: "plan-starting-position", Summary: "a new or replaced mapping that reprocesses or skips records", Severity: diag.Warning,
		Description: "A new or replaced event source mapping starts reading at its StartingPosition: TRIM_HORIZON processes the records the stream still holds again, LATEST skips the records written while no mapping reads.",
		Help:        "With TRIM_HORIZON make the function idempotent; with LATEST, or to avoid both, start at AT_TIMESTAMP set to the time of the deploy (Kinesis only)."}
	RuleConsumerRenamed = Rule{ID: "plan-consumer-renamed", Summary: "a renamed Kinesis consumer, which replaces the mappings that read it", Severity: diag.Warning,
		Description: "A Kinesis stream consumer gets a new name (consumerNamingMode, function or stream name changed): it is a new consumer, and every mapping that reads it is replaced.",
		Help:        "If the rename is not intended, restore the old name (consumerNamingMode, the function's name, the stream's name); otherwise expect the mappings that read it to start over at their StartingPosition."}
	RuleMappingRemoved = Rule{ID: "plan-mapping-removed", Summary: "a removed mapping: its function stops processing the stream", Severity: diag.Notice,
		Description: "An event source mapping is removed: its function stops processing the stream.",
		Help:        "Records stay in the stream until its retention ends; check that another mapping takes them over if they still need processing."}
	RulePermissionRemoved = Rule{ID: "plan-permission-removed", Summary: "a stream statement removed while a mapping still needs it", Severity: diag.Error,
		Description: "A stream statement is removed from a role while a mapping still reads the stream (or sends failed batches to the destination) it allowed.",
		Help:        "Keep the statement (iamRoleStatements, the role's policies) as long as a mapping uses the resource, or remove the mapping in the same deploy."}
)

// RuleTemplate reports a previous template that cannot be read.
var RuleTemplate = Rule{ID: TemplateRule, Summary: "a previous template that cannot be read", Severity: diag.Error,
	Description: "The previous template a plan compares with cannot be read: not JSON or YAML, or not a CloudFormation template.",
	Help:        "Give --against a template: a `serverless package` output (.serverless/cloudformation-template-update-stack.json), an earlier artifact, or a GetTemplate dump."}

// Rules lists the plan's rules in a stable order: the hazards, then the
// unreadable previous template.
func Rules() []Rule {
	return []Rule{RuleReplaceConflict, RuleStartingPosition, RuleConsumerRenamed, RuleMappingRemoved, RulePermissionRemoved, RuleTemplate}
}

// hazards adds the mapping and consumer hazards once every entry exists.
func (p *planner) hazards() {
	removed := map[string]string{} // function+source -> removed mapping ID
	removedConsumers := map[string]string{}
	for _, id := range p.ids(TypeMapping) {
		if e := p.entries[id]; e != nil && e.Action == Remove {
			removed[p.key(props(p.prev.byID[id]))] = id
		}
	}
	for _, id := range p.ids(TypeConsumer) {
		if e := p.entries[id]; e != nil && e.Action == Remove {
			removedConsumers[canon(props(p.prev.byID[id]).Get("StreamARN"))] = id
		}
	}
	for _, id := range p.ids(TypeConsumer) {
		p.consumerHazards(id, removedConsumers)
	}
	for _, id := range p.ids(TypeMapping) {
		p.mappingHazards(id, removed)
	}
}

// key identifies what Lambda calls one mapping: the function and the
// source. A source that is a consumer being replaced is a new source.
func (p *planner) key(pr *node.Node) string {
	return canon(pr.Get("FunctionName")) + "\x00" + canon(pr.Get("EventSourceArn"))
}

func (p *planner) consumerHazards(id string, removed map[string]string) {
	e := p.entries[id]
	if e == nil {
		return
	}
	after := props(p.cur.byID[id])
	switch e.Action {
	case Replace:
		before := props(p.prev.byID[id])
		if !equal(before.Get("ConsumerName"), after.Get("ConsumerName")) {
			p.hazard(id, RuleConsumerRenamed, fmt.Sprintf(
				"consumer %s is renamed from %q to %q: CloudFormation registers a new consumer and replaces every mapping that reads it; if the rename is not intended, restore the old name (consumerNamingMode, function or stream name)",
				id, show(before.Get("ConsumerName")), show(after.Get("ConsumerName"))))
		}
	case Add:
		if old, ok := removed[canon(after.Get("StreamARN"))]; ok {
			p.hazard(id, RuleConsumerRenamed, fmt.Sprintf(
				"consumer %s replaces consumer %s (%q) on the same stream: a new consumer, and the mappings that read it are new mappings; if the rename is not intended, restore the old name (consumerNamingMode, function or stream name)",
				id, old, show(props(p.prev.byID[old]).Get("ConsumerName"))))
		}
	}
}

func (p *planner) mappingHazards(id string, removed map[string]string) {
	e := p.entries[id]
	if e == nil {
		return
	}
	switch e.Action {
	case Remove:
		pr := props(p.prev.byID[id])
		p.hazard(id, RuleMappingRemoved, fmt.Sprintf(
			"the mapping is deleted: function %s stops processing %s; its records stay in the stream until its retention ends, so check that another mapping takes them over if they still need processing",
			show(pr.Get("FunctionName")), show(pr.Get("EventSourceArn"))))
	case Replace:
		before, after := props(p.prev.byID[id]), props(p.cur.byID[id])
		_, newConsumer := p.consumerReplaced(after.Get("EventSourceArn"))
		if !newConsumer && equal(before.Get("FunctionName"), after.Get("FunctionName")) && equal(before.Get("EventSourceArn"), after.Get("EventSourceArn")) {
			p.hazard(id, RuleReplaceConflict, fmt.Sprintf(
				"%s changes, so CloudFormation replaces the mapping: it creates the new one before it deletes the old one, and Lambda refuses a second mapping of function %s on the same source (ResourceConflictException), so the deploy fails; deploy twice, first without this stream event, then with it, or keep %s as deployed",
				replacedProps(e), show(after.Get("FunctionName")), replacedProps(e)))
		}
		// A new stream is a fresh start; the same one (even through a new
		// consumer) is a switch from the old mapping to the new.
		p.startHazard(id, after, equal(streamOf(p.prev, before.Get("EventSourceArn")), streamOf(p.cur, after.Get("EventSourceArn"))))
	case Add:
		after := props(p.cur.byID[id])
		old, takesOver := removed[p.key(after)]
		if takesOver {
			p.hazard(id, RuleReplaceConflict, fmt.Sprintf(
				"the mapping of function %s on %s moves from logical ID %s to %s: CloudFormation creates the new one before it deletes the old one, and Lambda refuses a second mapping of the same function and source (ResourceConflictException), so the deploy fails; deploy twice, first without this stream event, then with it",
				show(after.Get("FunctionName")), show(after.Get("EventSourceArn")), old, id))
		}
		p.startHazard(id, after, takesOver)
	}
}

// streamOf returns the stream a mapping source reads: the stream of the
// consumer it names, or the source itself.
func streamOf(r resources, arn *node.Node) *node.Node {
	if c := r.byID[refTarget(arn)]; typeOf(c) == TypeConsumer {
		if s := props(c).Get("StreamARN"); s != nil {
			return s
		}
	}
	return arn
}

// replacedProps names the changed create-only properties of e.
func replacedProps(e *Entry) string {
	var out []string
	for _, c := range e.Changes {
		if c.Replacement {
			out = append(out, c.Property)
		}
	}
	return strings.Join(out, " and ")
}

// startHazard warns where a new mapping starts reading. replacing is set
// when it takes over the same source from a mapping that read it before.
func (p *planner) startHazard(id string, pr *node.Node, replacing bool) {
	sp := pr.Get("StartingPosition")
	if !sp.IsString() {
		return
	}
	switch sp.Str {
	case "TRIM_HORIZON":
		what := "including those written before this deploy"
		if replacing {
			what = "including those the old mapping already processed"
		}
		p.hazard(id, RuleStartingPosition, fmt.Sprintf(
			"the new mapping starts at TRIM_HORIZON: it processes every record the stream still holds (24 hours for DynamoDB, the retention period for Kinesis), %s; make the function idempotent, or start at AT_TIMESTAMP (Kinesis) set to the time of the deploy", what))
	case "LATEST":
		if replacing {
			p.hazard(id, RuleStartingPosition,
				"the new mapping starts at LATEST: records written between the old mapping's last batch and the new mapping's first are never processed; to keep them, start at TRIM_HORIZON with an idempotent function, or at AT_TIMESTAMP (Kinesis) set to the time of the deploy")
		}
	case "AT_TIMESTAMP":
		if replacing {
			p.hazard(id, RuleStartingPosition, fmt.Sprintf(
				"the new mapping starts at AT_TIMESTAMP %s: records written after that time are processed again if the old mapping already processed them, and records before it are skipped; set the timestamp to the time of the deploy, and make the function idempotent",
				show(pr.Get("StartingPositionTimestamp"))))
		}
	}
}

// permissionHazard reports actions taken off a resource that a current
// mapping still reads or sends to, when no role of the current template
// still grants them.
func (p *planner) permissionHazard(roleID, resource, actions string) {
	var users []string
	for _, id := range p.cur.order {
		res := p.cur.byID[id]
		if typeOf(res) != TypeMapping {
			continue
		}
		for _, n := range readsOf(p.cur, id, res) {
			if canon(n) == resource {
				users = append(users, id)
				break
			}
		}
	}
	if len(users) == 0 {
		return
	}
	var missing []string
	for _, a := range strings.Split(actions, ", ") {
		granted := false
		for _, g := range p.cur.grants {
			for _, have := range g.actions[resource] {
				granted = granted || have == a
			}
		}
		if !granted {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return
	}
	p.hazard(roleID, RulePermissionRemoved, fmt.Sprintf(
		"%s no longer allows %s on %s, which %s still uses: Lambda cannot read the stream or send failed batches there; keep the statement as long as the mapping uses the resource, or remove the mapping in the same deploy",
		roleID, strings.Join(missing, ", "), resourceText(p, resource), pluralIDs(users, "mapping", "mappings")))
}

func resourceText(p *planner, key string) string {
	for _, r := range []resources{p.cur, p.prev} {
		for _, g := range r.grants {
			if n := g.resources[key]; n != nil {
				return show(n)
			}
		}
	}
	return key
}

func pluralIDs(ids []string, one, many string) string {
	if len(ids) == 1 {
		return one + " " + ids[0]
	}
	return many + " " + strings.Join(ids, ", ")
}
