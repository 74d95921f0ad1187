// Package plan compares the stream resources of a compiled template with a
// previous template (a `serverless package` output, an earlier artifact, a
// deployed stack's template) and says what a deploy will do to them: which
// event source mappings and Kinesis consumers CloudFormation adds, modifies
// in place, replaces or removes, how the stream statements of the roles
// that read them change, and what will go wrong before it goes wrong.
//
// It is pure: templates in, a plan out. Only AWS::Lambda::EventSourceMapping,
// AWS::Kinesis::StreamConsumer and the stream statements of IAM roles and
// policies are compared; every other resource is left to CloudFormation, so
// the compiled side may be a fragment that holds only the stream resources.
package plan

import (
	"cmp"
	"slices"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Actions of an entry, in CloudFormation's terms.
const (
	Add     = "add"
	Modify  = "modify"
	Replace = "replace"
	Remove  = "remove"
)

// Resource types the plan compares.
const (
	TypeMapping  = "AWS::Lambda::EventSourceMapping"
	TypeConsumer = "AWS::Kinesis::StreamConsumer"
)

// Entry is one changed resource.
type Entry struct {
	LogicalID string   `json:"logicalId"`
	Type      string   `json:"type"`
	Action    string   `json:"action"`
	Changes   []Change `json:"changes"`
	Hazards   []Hazard `json:"hazards"`
}

// Change is one changed property. Before is nil for an added property and
// After for a removed one; both keep their JSON types.
type Change struct {
	Property    string     `json:"property"`
	Before      *node.Node `json:"before"`
	After       *node.Node `json:"after"`
	Replacement bool       `json:"replacement"`
}

// Hazard is what will go wrong, and what to do about it.
type Hazard struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// Plan is the changed resources, ordered by logical ID.
type Plan []Entry

// HasErrors reports whether any hazard is an error: the deploy would fail
// or lose access.
func (p Plan) HasErrors() bool { return p.AtLeast(diag.Error) }

// AtLeast reports whether any hazard is at least as severe as s.
func (p Plan) AtLeast(s diag.Severity) bool {
	for _, e := range p {
		for _, h := range e.Hazards {
			if sev, ok := diag.ParseSeverity(h.Severity); ok && sev <= s {
				return true
			}
		}
	}
	return false
}

// Count returns how many hazards have severity s.
func (p Plan) Count(s diag.Severity) int {
	n := 0
	for _, e := range p {
		for _, h := range e.Hazards {
			if h.Severity == s.String() {
				n++
			}
		}
	}
	return n
}

// createOnly are the properties whose change makes CloudFormation replace
// the resource (the createOnlyProperties of the resource schemas; what
// Lambda's UpdateEventSourceMapping and Kinesis cannot change in place).
var createOnly = map[string]map[string]bool{
	TypeMapping: {
		"EventSourceArn": true, "StartingPosition": true, "StartingPositionTimestamp": true,
		"SelfManagedEventSource": true, "AmazonManagedKafkaEventSourceConfig": true,
		"SelfManagedKafkaEventSourceConfig": true,
	},
	TypeConsumer: {"ConsumerName": true, "StreamARN": true},
}

// Compare returns the plan that turns previous into current. Both are
// CloudFormation templates as parsed (see ParseTemplate) or compiled;
// previous may be nil (nothing deployed yet).
func Compare(current, previous *node.Node) Plan {
	cur, prev := collect(current), collect(previous)
	p := &planner{cur: cur, prev: prev, entries: map[string]*Entry{}}
	p.consumers()
	p.mappings()
	p.statements()
	p.hazards()
	out := make(Plan, 0, len(p.entries))
	for _, e := range p.entries {
		slices.SortStableFunc(e.Hazards, func(a, b Hazard) int {
			sa, _ := diag.ParseSeverity(a.Severity)
			sb, _ := diag.ParseSeverity(b.Severity)
			return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
		})
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.LogicalID, b.LogicalID) })
	return out
}

// resources holds the compared resources of one template.
type resources struct {
	byID  map[string]*node.Node // logical ID -> resource (mappings and consumers)
	order []string              // their logical IDs in template order
	// grants are the stream statements per role or policy logical ID.
	grants map[string]*grantSet
}

func collect(t *node.Node) resources {
	r := resources{byID: map[string]*node.Node{}, grants: map[string]*grantSet{}}
	res := t.Get("Resources")
	if !res.IsMap() {
		return r
	}
	for _, pr := range res.Pairs {
		id, v := pr.Key.Str, pr.Value
		switch typeOf(v) {
		case TypeMapping, TypeConsumer:
			r.byID[id] = v
			r.order = append(r.order, id)
		default:
			if g := streamGrants(v); g != nil {
				r.grants[id] = g
			}
		}
	}
	return r
}

func typeOf(res *node.Node) string {
	if t := res.Get("Type"); t.IsString() {
		return t.Str
	}
	return ""
}

func props(res *node.Node) *node.Node {
	if p := res.Get("Properties"); p.IsMap() {
		return p
	}
	return nil
}

type planner struct {
	cur, prev resources
	entries   map[string]*Entry
	// replacedConsumers are the logical IDs of consumers that get a new ARN.
	replacedConsumers map[string]bool
}

func (p *planner) entry(id, typ, action string) *Entry {
	e := &Entry{LogicalID: id, Type: typ, Action: action, Changes: []Change{}, Hazards: []Hazard{}}
	p.entries[id] = e
	return e
}

func (p *planner) hazard(id string, rule Rule, msg string) {
	e := p.entries[id]
	e.Hazards = append(e.Hazards, Hazard{Severity: rule.Severity.String(), Rule: rule.ID, Message: msg})
}

// ids returns the logical IDs of type typ in either template: current
// order first, then those only in the previous one.
func (p *planner) ids(typ string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range []resources{p.cur, p.prev} {
		for _, id := range r.order {
			if !seen[id] && typeOf(r.byID[id]) == typ {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

func (p *planner) consumers() {
	p.replacedConsumers = map[string]bool{}
	for _, id := range p.ids(TypeConsumer) {
		e := p.diff(id, TypeConsumer, nil)
		if e != nil && e.Action == Replace {
			p.replacedConsumers[id] = true
		}
	}
}

func (p *planner) mappings() {
	for _, id := range p.ids(TypeMapping) {
		p.diff(id, TypeMapping, p.consumerReplaced)
	}
}

// consumerReplaced reports an EventSourceArn that names (Ref or GetAtt) a
// consumer that gets a new ARN: the same text, a new value.
func (p *planner) consumerReplaced(arn *node.Node) (string, bool) {
	id := refTarget(arn)
	return id, id != "" && p.replacedConsumers[id]
}

// diff compares one resource and records its entry, if it changed. A type
// change (same logical ID, another type) is a replacement.
func (p *planner) diff(id, typ string, replacedRef func(*node.Node) (string, bool)) *Entry {
	before, after := p.prev.byID[id], p.cur.byID[id]
	if before != nil && typeOf(before) != typ {
		before = nil
	}
	if after != nil && typeOf(after) != typ {
		after = nil
	}
	switch {
	case before == nil && after == nil:
		return nil
	case before == nil:
		e := p.entry(id, typ, Add)
		e.Changes = propertyChanges(nil, props(after), nil)
		return e
	case after == nil:
		e := p.entry(id, typ, Remove)
		e.Changes = propertyChanges(props(before), nil, nil)
		return e
	}
	changes := propertyChanges(props(before), props(after), createOnly[typ])
	if replacedRef != nil {
		if arn := props(after).Get("EventSourceArn"); arn != nil && equal(arn, props(before).Get("EventSourceArn")) {
			if _, ok := replacedRef(arn); ok {
				changes = append(changes, Change{Property: "EventSourceArn", Before: props(before).Get("EventSourceArn"), After: arn, Replacement: true})
				slices.SortStableFunc(changes, func(a, b Change) int { return cmp.Compare(a.Property, b.Property) })
			}
		}
	}
	if len(changes) == 0 {
		return nil
	}
	action := Modify
	for _, c := range changes {
		if c.Replacement {
			action = Replace
		}
	}
	e := p.entry(id, typ, action)
	e.Changes = changes
	return e
}

// propertyChanges compares two Properties maps key by key, in key order.
// A nil side stands for a resource that does not exist; replace names the
// keys whose change replaces the resource.
func propertyChanges(before, after *node.Node, replace map[string]bool) []Change {
	keys := map[string]bool{}
	for _, m := range []*node.Node{before, after} {
		if m != nil {
			for _, pr := range m.Pairs {
				// A nil Value is JavaScript's undefined, which the compiler
				// keeps and JSON drops: no property at all.
				if pr.Value != nil {
					keys[pr.Key.Str] = true
				}
			}
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	out := []Change{}
	for _, k := range sorted {
		b, a := before.Get(k), after.Get(k)
		if before != nil && after != nil && equal(a, b) {
			continue
		}
		out = append(out, Change{Property: k, Before: b, After: a, Replacement: before != nil && after != nil && replace[k]})
	}
	return out
}

// refTarget returns the logical ID that n refers to with Ref or Fn::GetAtt,
// or "".
func refTarget(n *node.Node) string {
	if !n.IsMap() || len(n.Pairs) != 1 {
		return ""
	}
	if r := n.Get("Ref"); r.IsString() {
		return r.Str
	}
	if ga := n.Get("Fn::GetAtt"); ga.IsSeq() && len(ga.Items) > 0 && ga.Items[0].IsString() {
		return ga.Items[0].Str
	}
	if ga := n.Get("Fn::GetAtt"); ga.IsString() {
		id, _, _ := cutDot(ga.Str)
		return id
	}
	return ""
}

func cutDot(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
