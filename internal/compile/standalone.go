package compile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

// CloudFormation's per-template quotas that a large service can reach.
const (
	maxResources  = 500
	maxOutputs    = 200
	maxParameters = 200
)

// StandaloneOptions tunes standalone mode.
type StandaloneOptions struct {
	RoleName string // --role-name: attach the policy to this role for every function
	// SkipEmpty makes a service without stream events a notice and no
	// template (the Action over a monorepo glob), instead of an error.
	SkipEmpty bool
}

// NoStreamEvents is the message for a service without stream events.
const NoStreamEvents = "the service has no stream events"

// IsNoStreamEvents reports the finding standalone mode gives a service
// without stream events: callers that skip such a service (the Action, the
// lint command) recognise it here, where its message is written.
func IsNoStreamEvents(f diag.Finding) bool {
	return f.Rule == Rule && strings.HasPrefix(f.Message, NoStreamEvents)
}

// standalone builds a template that deploys on its own next to the stack
// that owns the functions: mappings target functions by physical name, the
// stream permissions are an AWS::IAM::Policy attached to each execution role
// by name, and references to resources of the Serverless stack become
// parameters.
type standalone struct {
	svc       *Service
	params    *node.Node
	resources *node.Node
	outputs   *node.Node
	policies  map[string]*rolePolicy
	order     []string // role names in first-use order
	findings  diag.Findings
	list      []Parameter // the parameters in template order
	own       map[string]bool
	index     map[indexKey]int
}

type indexKey struct {
	m *node.Node
	k string
}

type rolePolicy struct {
	logicalID string
	role      *node.Node // the role's name, or a Ref to the parameter holding it
	stmts     statementResources
}

// Parameter is one parameter of a standalone template: a resource of the
// Serverless stack the template cannot reference, which deploy fills from
// that stack.
type Parameter struct {
	Name   string // the template parameter
	Target string // the logical ID in the Serverless stack
	Attr   string // the Fn::GetAtt attribute; "" for Ref
	// Range is the first reference in the config, where a value nobody can
	// find is reported.
	Range diag.Range
}

// Expr is the reference as written in a template: "Ref X" or
// "Fn::GetAtt X.Attr".
func (p Parameter) Expr() string {
	if p.Attr == "" {
		return "Ref " + p.Target
	}
	return "Fn::GetAtt " + p.Target + "." + p.Attr
}

// Standalone renders res as a standalone template, and sets
// res.Parameters to the template's parameters.
func Standalone(res *Result, o StandaloneOptions) (*node.Node, diag.Findings) {
	s := &standalone{svc: res.Service, params: node.NewMap(diag.Range{}), resources: node.NewMap(diag.Range{}),
		outputs: node.NewMap(diag.Range{}), policies: map[string]*rolePolicy{}, own: map[string]bool{},
		index: map[indexKey]int{}}
	for _, m := range res.Mappings {
		s.own[m.LogicalID] = true
		if m.Consumer != nil {
			s.own[m.Consumer.LogicalID] = true
			s.own[standaloneConsumerID(m.Consumer)] = true
		}
	}
	seen := map[string]*Mapping{}
	var mappings []*Mapping
	for _, m := range res.Mappings {
		if prev := seen[m.LogicalID]; prev != nil {
			s.findings = append(s.findings, collision(m, prev))
			continue
		}
		seen[m.LogicalID] = m
		mappings = append(mappings, m)
	}
	for _, m := range mappings {
		s.addMapping(m, o)
	}
	s.extend(mappings)
	if len(mappings) == 0 && len(res.Findings) == 0 {
		if o.SkipEmpty {
			return nil, append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Notice, Range: pointRange(s.svc.Root),
				Message: NoStreamEvents + "; no template is written"})
		}
		s.findings = append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Error, Range: pointRange(s.svc.Root),
			Message: NoStreamEvents + ": a standalone template needs at least one resource"})
	}
	res.Parameters = s.list
	return s.template(), s.findings
}

func collision(m, prev *Mapping) diag.Finding {
	return diag.Finding{Rule: Rule, Severity: diag.Error, Range: m.Event.Node.Range, Message: fmt.Sprintf(
		"this event compiles to logical ID %q like the event at line %d; Serverless silently merges the two into one mapping, which loses one of them: give each source its own stream name or remove the duplicate",
		m.LogicalID, prev.Event.Node.Range.Start.Line)}
}

// standaloneConsumerID keeps only characters CloudFormation allows in a
// logical ID; Serverless keeps "." and ":" from the names, which
// CloudFormation rejects.
func standaloneConsumerID(c *Consumer) string {
	return AlphaNumeric(strings.TrimSuffix(c.LogicalID, "StreamConsumer")) + "StreamConsumer"
}

func (s *standalone) addMapping(m *Mapping, o StandaloneOptions) {
	f := m.Event.Function
	r := m.Event.Node.Range
	role, bad := ExecutionRole(s.svc, f, o.RoleName)
	if bad != nil {
		s.findings = append(s.findings, *bad)
		return
	}
	if u := firstUnresolved(f.Node.Get("name")); u != nil {
		s.findings = append(s.findings, *fail(u, "the function's name needs the value of %s, which could not be resolved; a standalone mapping targets the function by name", u.Unresolved))
		return
	}
	pol := s.policy(role)
	// FunctionName is serverless mode's: external must not see its
	// reference to the Serverless stack's function.
	props := shallowCopy(m.Properties)
	props.Set("FunctionName", node.NewNull(r))
	props = shallowCopy(s.external(props))
	fn := f.PhysicalName(s.svc)
	if f.Alias != "" {
		fn += ":" + f.Alias
	}
	props.Set("FunctionName", node.NewString(fn, r))
	depends := node.NewSeq(r, node.NewString(pol.logicalID, r))
	view := *m
	view.StreamARN = s.external(m.StreamARN)
	view.Destination = s.external(m.Destination)
	view.ConsumerARN = s.external(m.ConsumerARN)
	esm := node.NewMap(r)
	esm.Set("Type", esmType)
	esm.Set("DependsOn", depends)
	if m.Consumer != nil {
		cid := standaloneConsumerID(m.Consumer)
		view.Consumer = &Consumer{Name: m.Consumer.Name, LogicalID: cid}
		props.Set("EventSourceArn", refNode(nil, cid, r))
		depends.Items = append(depends.Items, node.NewString(cid, r))
		// The Ref already orders the consumer first; the explicit DependsOn
		// documents it, so cfn-lint's "obsolete DependsOn" is expected here.
		esm.Set("Metadata", ignoreChecks(r, "W3005"))
	}
	esm.Set("Properties", stripNulls(props))
	s.add(s.resources, m.LogicalID, esm)
	if m.Consumer != nil {
		s.add(s.resources, view.Consumer.LogicalID, consumerResource(nil, &view, r))
	}
	pol.stmts.add(&view)
	s.addOutputs(&view, f)
}

// add sets key k of a large map (resources, outputs) through an index, as
// node.Set would in linear time.
func (s *standalone) add(m *node.Node, k string, v *node.Node) {
	key := indexKey{m, k}
	if i, ok := s.index[key]; ok {
		m.Pairs[i].Value = v
		return
	}
	s.index[key] = len(m.Pairs)
	m.Pairs = append(m.Pairs, node.Pair{Key: node.NewString(k, v.Range), Value: v})
}

func ignoreChecks(r diag.Range, checks ...string) *node.Node {
	list := node.NewSeq(r)
	for _, c := range checks {
		list.Items = append(list.Items, node.NewString(c, r))
	}
	cfg := node.NewMap(r)
	cfg.Set("ignore_checks", list)
	lint := node.NewMap(r)
	lint.Set("config", cfg)
	md := node.NewMap(r)
	md.Set("cfn-lint", lint)
	return md
}

func (s *standalone) policy(role Role) *rolePolicy {
	key, name := role.Name, role.Name
	if role.LogicalID != "" {
		// A name no role can have keeps the two kinds apart.
		key, name = "\x00"+role.LogicalID, role.LogicalID
	}
	if p := s.policies[key]; p != nil {
		return p
	}
	id := "StreamEventsPolicy" + AlphaNumeric(name)
	for i := 2; s.own[id]; i++ {
		id = fmt.Sprintf("StreamEventsPolicy%s%d", AlphaNumeric(name), i)
	}
	s.own[id] = true
	p := &rolePolicy{logicalID: id, role: node.NewString(name, diag.Range{})}
	if role.LogicalID != "" {
		param, _ := s.parameterFor(refNode(nil, role.LogicalID, role.Node.Range))
		p.role = refNode(nil, param, diag.Range{})
	}
	s.policies[key] = p
	s.order = append(s.order, key)
	return p
}

func (s *standalone) addOutputs(m *Mapping, f *Function) {
	r := m.Event.Node.Range
	out := node.NewMap(r)
	out.Set("Description", node.NewString(fmt.Sprintf("UUID of the %s event source mapping of function %s (stream %s)", m.StreamType, f.Name, m.StreamName), r))
	out.Set("Value", refNode(nil, m.LogicalID, r))
	s.add(s.outputs, m.LogicalID+"Uuid", out)
	if m.Consumer != nil {
		c := node.NewMap(r)
		c.Set("Description", node.NewString(fmt.Sprintf("ARN of the Kinesis consumer %s", m.Consumer.Name), r))
		c.Set("Value", getAttNode(nil, m.Consumer.LogicalID, "ConsumerARN", r))
		s.add(s.outputs, m.Consumer.LogicalID+"Arn", c)
	}
}

// external replaces references to resources of the Serverless stack, which
// this template cannot see, with parameters the deployer fills in. It
// copies only what it changes: n is shared with serverless mode.
func (s *standalone) external(n *node.Node) *node.Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case node.String:
		if strings.Contains(n.Str, "#{") {
			return s.pseudoParameters(n)
		}
	case node.Map:
		if len(n.Pairs) == 1 {
			if p, ok := s.parameterFor(n); ok {
				return refNode(nil, p, n.Range)
			}
		}
	}
	return n.MapChildren(s.external)
}

var pseudoRef = lazyre.New(`#\{([^}]*)\}`)

// pseudoParameters does what the serverless-pseudo-parameters plugin does
// at deploy time: "#{AWS::Region}" inside a string becomes "${AWS::Region}"
// in an Fn::Sub. Without the plugin, or for references to resources of the
// Serverless stack, the literal would reach CloudFormation as a broken ARN.
func (s *standalone) pseudoParameters(n *node.Node) *node.Node {
	const plugin = "serverless-pseudo-parameters"
	if !slices.Contains(s.svc.plugins(), plugin) {
		s.findings = append(s.findings, *fail(n, "%q holds a #{...} placeholder, which only the %s plugin replaces, and it is not in plugins:", n.Str, plugin))
		return n
	}
	for _, m := range pseudoRef.FindAllStringSubmatch(n.Str, -1) {
		if !strings.HasPrefix(m[1], "AWS::") {
			s.findings = append(s.findings, *fail(n, "#{%s} refers to a resource of the Serverless stack, which a standalone template cannot reference; use its ARN or Fn::ImportValue", m[1]))
			return n
		}
	}
	sub := node.NewMap(n.Range)
	sub.Set("Fn::Sub", node.NewString(pseudoRef.ReplaceAllString(n.Str, "$${$1}"), n.Range))
	return sub
}

func (s *standalone) parameterFor(n *node.Node) (string, bool) {
	var target, attr string
	switch k := n.Pairs[0].Key.Str; k {
	case "Ref":
		v := n.Pairs[0].Value
		if !v.IsString() || v.Str == "" || strings.HasPrefix(v.Str, "AWS::") || s.own[v.Str] {
			return "", false
		}
		target = v.Str
	case "Fn::GetAtt":
		v := n.Pairs[0].Value
		// A GetAtt without a name or an attribute (!GetAtt Table) stays as
		// written, for cfn-lint and lint's intrinsic-shape to refuse: as a
		// parameter it would silently become a Ref, or a parameter named "".
		if !v.IsSeq() || len(v.Items) != 2 || !v.Items[0].IsString() || !v.Items[1].IsString() ||
			v.Items[0].Str == "" || v.Items[1].Str == "" || s.own[v.Items[0].Str] {
			return "", false
		}
		target, attr = v.Items[0].Str, v.Items[1].Str
	default:
		return "", false
	}
	name := AlphaNumeric(target + attr)
	if s.own[name] {
		name += "Param"
	}
	if _, ok := s.index[indexKey{s.params, name}]; !ok {
		p := node.NewMap(n.Range)
		p.Set("Type", node.NewString("String", n.Range))
		desc := "Ref " + target
		if attr != "" {
			desc = "Fn::GetAtt " + target + "." + attr
		}
		p.Set("Description", node.NewString(desc+" of the Serverless stack (a resource this template cannot reference)", n.Range))
		s.add(s.params, name, p)
		s.list = append(s.list, Parameter{Name: name, Target: target, Attr: attr, Range: n.Range})
	}
	return name, true
}

func (s *standalone) template() *node.Node {
	var r diag.Range
	t := node.NewMap(r)
	t.Set("AWSTemplateFormatVersion", node.NewString("2010-09-09", r))
	t.Set("Description", node.NewString(fmt.Sprintf("Stream event source mappings of service %s, stage %s (generated by stream-events)", s.svc.Name, s.svc.Stage), r))
	if n := len(s.params.Pairs); n > 0 {
		if n > maxParameters {
			s.findings = append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Error, Range: pointRange(s.svc.Root),
				Message: fmt.Sprintf("the standalone template needs %d parameters for resources of the Serverless stack; CloudFormation accepts at most %d: give stream ARNs as literals or Fn::ImportValue", n, maxParameters)})
		}
		t.Set("Parameters", s.params)
	}
	res := node.NewMap(r)
	for _, role := range s.order {
		p := s.policies[role]
		res.Set(p.logicalID, policyResource(s.svc, p))
	}
	res.Pairs = append(res.Pairs, s.resources.Pairs...)
	if len(res.Pairs) > maxResources {
		s.findings = append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Error, Range: pointRange(s.svc.Root),
			Message: fmt.Sprintf("the standalone template has %d resources; CloudFormation accepts at most %d per stack: split the service", len(res.Pairs), maxResources)})
	}
	t.Set("Resources", res)
	if n := len(s.outputs.Pairs); n > maxOutputs {
		s.findings = append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Notice, Range: pointRange(s.svc.Root),
			Message: fmt.Sprintf("only the first %d of %d outputs are written: CloudFormation accepts at most %d", maxOutputs, n, maxOutputs)})
		s.outputs.Pairs = s.outputs.Pairs[:maxOutputs]
	}
	if len(s.outputs.Pairs) > 0 {
		t.Set("Outputs", s.outputs)
	}
	return t
}

func policyResource(svc *Service, p *rolePolicy) *node.Node {
	var r diag.Range
	for i := range p.stmts {
		p.stmts[i] = dedupe(p.stmts[i])
	}
	doc := node.NewMap(r)
	doc.Set("Version", node.NewString("2012-10-17", r))
	doc.Set("Statement", node.NewSeq(r, p.stmts.statements()...))
	props := node.NewMap(r)
	props.Set("PolicyName", node.NewString(svc.Name+"-"+svc.Stage+"-stream-events", r))
	props.Set("PolicyDocument", doc)
	props.Set("Roles", node.NewSeq(r, p.role))
	res := node.NewMap(r)
	res.Set("Type", node.NewString("AWS::IAM::Policy", r))
	res.Set("Properties", props)
	return res
}

// dedupe drops repeated resources: several functions sharing a role read
// the same stream.
func dedupe(list []*node.Node) []*node.Node {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, n := range list {
		k := n.Stringify()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	return out
}

// pointRange is where service-wide findings point: the functions: key when
// there is one, else the start of the file.
func pointRange(root *node.Node) diag.Range {
	if p := root.GetPair("functions"); p != nil {
		return p.Key.Range
	}
	return diag.Range{File: root.Range.File, Start: diag.Pos{Line: 1, Col: 1}}
}
