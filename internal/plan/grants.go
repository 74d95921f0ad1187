package plan

import (
	"slices"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// grantSet is what one role or policy allows on the resources stream events
// use: resource (canonical JSON) -> actions, from its stream statements.
type grantSet struct {
	typ       string
	resources map[string]*node.Node // canonical -> value
	actions   map[string][]string   // canonical -> sorted actions
}

// streamAction reports the actions internal/compile writes into stream
// statements: reading DynamoDB and Kinesis streams, subscribing a consumer,
// and sending failed batches to an onFailure queue or topic.
func streamAction(a string) bool {
	switch a {
	case "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams",
		"sns:Publish", "sqs:ListQueues", "sqs:SendMessage":
		return true
	}
	return strings.HasPrefix(a, "kinesis:")
}

// streamGrants returns the stream statements of an IAM role or policy, or
// nil when res is neither or holds none. A resource without a Type that has
// Policies is the role part of a compiled Serverless fragment.
func streamGrants(res *node.Node) *grantSet {
	typ := typeOf(res)
	pr := props(res)
	var docs []*node.Node
	switch typ {
	case "AWS::IAM::Role", "":
		if pols := pr.Get("Policies"); pols.IsSeq() {
			for _, pol := range pols.Items {
				docs = append(docs, pol.Get("PolicyDocument"))
			}
		}
		if typ == "" {
			typ = "AWS::IAM::Role"
		}
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		docs = append(docs, pr.Get("PolicyDocument"))
	default:
		return nil
	}
	g := &grantSet{typ: typ, resources: map[string]*node.Node{}, actions: map[string][]string{}}
	for _, doc := range docs {
		for _, st := range list(doc.Get("Statement")) {
			g.addStatement(st)
		}
	}
	if len(g.actions) == 0 {
		return nil
	}
	return g
}

func (g *grantSet) addStatement(st *node.Node) {
	if e := st.Get("Effect"); !e.IsString() || e.Str != "Allow" {
		return
	}
	var acts []string
	for _, a := range list(st.Get("Action")) {
		if !a.IsString() || !streamAction(a.Str) {
			return // a statement of the user's own, not one stream events wrote
		}
		acts = append(acts, a.Str)
	}
	for _, r := range list(st.Get("Resource")) {
		k := canon(r)
		g.resources[k] = r
		g.actions[k] = union(g.actions[k], acts)
	}
}

// list returns the items of a sequence, or the value itself: IAM accepts a
// single Action or Resource in place of a list.
func list(n *node.Node) []*node.Node {
	switch {
	case n == nil || n.Kind == node.Null:
		return nil
	case n.Kind == node.Seq:
		return n.Items
	}
	return []*node.Node{n}
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// used returns the resources (canonical) that the mappings and consumers of
// both templates read or send to: only grants on those are compared, so the
// user's own statements on other resources never show up as changes.
func (p *planner) used() map[string]bool {
	out := map[string]bool{}
	for _, r := range []resources{p.cur, p.prev} {
		for id, res := range r.byID {
			for _, n := range readsOf(r, id, res) {
				out[canon(n)] = true
			}
		}
	}
	return out
}

// readsOf lists what a mapping or consumer needs a grant on: a mapping its
// source, the stream of the consumer it reads and its onFailure
// destination; a consumer its stream and itself.
func readsOf(r resources, id string, res *node.Node) []*node.Node {
	pr := props(res)
	var out []*node.Node
	switch typeOf(res) {
	case TypeMapping:
		arn := pr.Get("EventSourceArn")
		if arn != nil {
			out = append(out, arn)
		}
		if c := r.byID[refTarget(arn)]; typeOf(c) == TypeConsumer {
			if s := props(c).Get("StreamARN"); s != nil {
				out = append(out, s)
			}
		}
		if d := pr.Path("DestinationConfig", "OnFailure", "Destination"); d != nil {
			out = append(out, d)
		}
	case TypeConsumer:
		if s := pr.Get("StreamARN"); s != nil {
			out = append(out, s)
		}
		ref := node.NewMap(diag.Range{})
		ref.Set("Ref", node.NewString(id, diag.Range{}))
		out = append(out, ref)
	}
	return out
}

func (p *planner) statements() {
	used := p.used()
	ids := map[string]bool{}
	for id := range p.cur.grants {
		ids[id] = true
	}
	for id := range p.prev.grants {
		ids[id] = true
	}
	for _, id := range sortedKeys(ids) {
		p.diffGrants(id, p.prev.grants[id], p.cur.grants[id], used)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// diffGrants records one change per resource whose allowed actions differ,
// and a hazard when a current mapping still needs an action taken away.
func (p *planner) diffGrants(id string, before, after *grantSet, used map[string]bool) {
	keys := map[string]bool{}
	typ := ""
	for _, g := range []*grantSet{before, after} {
		if g == nil {
			continue
		}
		typ = g.typ
		for k := range g.actions {
			if used[k] {
				keys[k] = true
			}
		}
	}
	var changes []Change
	var removed [][2]string // resource canon, removed actions
	for _, k := range sortedKeys(keys) {
		var b, a []string
		var res *node.Node
		if before != nil {
			b, res = before.actions[k], before.resources[k]
		}
		if after != nil {
			a = after.actions[k]
			if r := after.resources[k]; r != nil {
				res = r
			}
		}
		if slices.Equal(a, b) {
			continue
		}
		changes = append(changes, Change{Property: "Statement[Resource=" + show(res) + "]", Before: actionList(b), After: actionList(a)})
		if gone := minus(b, a); len(gone) > 0 {
			removed = append(removed, [2]string{k, strings.Join(gone, ", ")})
		}
	}
	if len(changes) == 0 {
		return
	}
	action := Modify
	if typ == "AWS::IAM::Policy" || typ == "AWS::IAM::ManagedPolicy" {
		switch {
		case before == nil:
			action = Add
		case after == nil:
			action = Remove
		}
	}
	e := p.entry(id, typ, action)
	e.Changes = changes
	for _, rm := range removed {
		p.permissionHazard(id, rm[0], rm[1])
	}
}

// actionList returns actions as a JSON array, or nil for none.
func actionList(acts []string) *node.Node {
	if len(acts) == 0 {
		return nil
	}
	n := node.NewSeq(diag.Range{})
	for _, a := range acts {
		n.Items = append(n.Items, node.NewString(a, diag.Range{}))
	}
	return n
}
