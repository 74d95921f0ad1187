package compile

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Statement order within one function, as stream.js pushes them.
const (
	stmtDynamoDB = iota
	stmtKinesis
	stmtKinesisConsumer
	stmtSubscribe
	stmtSNS
	stmtSQS
	stmtCount
)

var statementActions = [stmtCount][]string{
	{"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"},
	{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams"},
	{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStreamSummary", "kinesis:ListShards"},
	{"kinesis:SubscribeToShard"},
	{"sns:Publish"},
	{"sqs:ListQueues", "sqs:SendMessage"},
}

// statementResources collects, per statement kind, the resources one
// function's events add (duplicates kept, as Serverless keeps them).
type statementResources [stmtCount][]*node.Node

func (s *statementResources) add(m *Mapping) {
	a := m.arena
	switch {
	case m.TypeIs("dynamodb"):
		s[stmtDynamoDB] = append(s[stmtDynamoDB], m.StreamARN)
	case m.ConsumerStatement:
		s[stmtKinesisConsumer] = append(s[stmtKinesisConsumer], m.StreamARN)
	default:
		s[stmtKinesis] = append(s[stmtKinesis], m.StreamARN)
	}
	if m.Consumer != nil {
		ref := m.consumerRef
		if ref == nil || ref.Pairs[0].Value.Str != m.Consumer.LogicalID { // standalone renames consumers
			ref = refNode(a, m.Consumer.LogicalID, m.Event.Node.Range)
		}
		s[stmtSubscribe] = append(s[stmtSubscribe], ref)
	} else if m.ConsumerARN != nil {
		s[stmtSubscribe] = append(s[stmtSubscribe], m.ConsumerARN)
	}
	if m.Destination != nil {
		if m.DestinationType == "sns" {
			s[stmtSNS] = append(s[stmtSNS], m.Destination)
		} else {
			s[stmtSQS] = append(s[stmtSQS], m.Destination)
		}
	}
}

// statements renders the non-empty statements in Serverless's order:
// Effect, Action, Resource.
func (s *statementResources) statements() []*node.Node { return s.appendTo(nil, nil) }

// appendTo appends the statements to out, built in a (which may be nil).
func (s *statementResources) appendTo(a *node.Arena, out []*node.Node) []*node.Node {
	for kind, res := range s {
		if len(res) > 0 {
			out = append(out, statement(a, kind, res))
		}
	}
	return out
}

// reset empties s and keeps its room: statements copy what they take.
func (s *statementResources) reset() {
	for kind := range s {
		s[kind] = s[kind][:0]
	}
}

// actionNodes and allow are built once: every statement of a kind shares
// them. Template nodes are never modified after they are built (a merge
// works on a copy), so sharing is safe and saves most of the statements'
// allocations on a large service.
var (
	actionNodes = func() (out [stmtCount]*node.Node) {
		for kind, actions := range statementActions {
			acts := node.NewSeq(diag.Range{})
			acts.Shared = true
			for _, a := range actions {
				acts.Items = append(acts.Items, node.NewString(a, diag.Range{}))
			}
			out[kind] = acts
		}
		return out
	}()
	allow = node.NewString("Allow", diag.Range{})
)

func statement(a *node.Arena, kind int, resources []*node.Node) *node.Node {
	var r diag.Range
	return a.Map(r, node.Pair{Key: kEffect, Value: allow}, node.Pair{Key: kAction, Value: actionNodes[kind]},
		node.Pair{Key: kResource, Value: a.Seq(r, resources...)})
}

// Result is the compiled stream events of a service.
type Result struct {
	Service  *Service
	Mappings []*Mapping
	// Resources holds the compiled resources in template order, after
	// Serverless's merge of colliding logical IDs.
	Resources *node.Node
	// Statements are the stream statements in the order Serverless appends
	// them to IamRoleLambdaExecution (empty when that role does not exist).
	Statements []*node.Node
	Findings   diag.Findings
	// Parameters are the standalone template's, set by Standalone.
	Parameters []Parameter
	index      map[string]int // logical ID -> position in Resources
	merged     map[string]bool
}

// merge adds a new resource as Serverless's _.merge into Resources does. A
// new logical ID takes the value as is (the compiler owns it, so lodash's
// copy is not needed); a colliding one is merged into a private copy, so
// the mapping that came first keeps its own properties.
func (res *Result) merge(p node.Pair) {
	i, ok := res.index[p.Key.Str]
	if !ok {
		res.index[p.Key.Str] = len(res.Resources.Pairs)
		res.Resources.Pairs = append(res.Resources.Pairs, p)
		return
	}
	existing := &res.Resources.Pairs[i]
	if res.merged == nil {
		res.merged = map[string]bool{}
	}
	if !res.merged[p.Key.Str] {
		existing.Value = existing.Value.Clone()
		res.merged[p.Key.Str] = true
	}
	existing.Value = node.Merge(existing.Value, p.Value)
}

// Compile compiles every stream event of svc as Serverless v3 does.
// Findings with Error severity mean the config cannot be compiled (where
// Serverless itself would stop or crash).
//
// Compiling chunks of functions on both processors of a 2-core machine
// was tried: compile runs beside the linter already, and it was slower on
// the shared machine measured (issue 13).
func Compile(svc *Service) *Result {
	events := 0
	for _, f := range svc.Functions {
		events += len(f.Events)
	}
	// Each event adds a mapping, a third of them a consumer as well.
	res := &Result{Service: svc, Resources: node.NewMap(diag.Range{}), index: make(map[string]int, events+events/3),
		Mappings: make([]*Mapping, 0, events)}
	res.Resources.Pairs = make([]node.Pair, 0, events+events/3)
	a := new(node.Arena)
	mappings := make([]Mapping, events) // one allocation for all
	var stmts statementResources
	for _, f := range svc.Functions {
		stmts.reset()
		for _, e := range f.Events {
			m, fail := compileEvent(svc, e, &mappings[0], a)
			mappings = mappings[1:]
			if fail != nil {
				res.Findings = append(res.Findings, *fail)
				continue
			}
			res.Mappings = append(res.Mappings, m)
			stmts.add(m)
			ps, n := serverlessResources(a, m)
			for _, p := range ps[:n] {
				res.merge(p)
			}
		}
		if svc.DefaultRole { // else nothing receives them
			res.Statements = stmts.appendTo(a, res.Statements)
		}
	}
	nulls := false
	for _, m := range res.Mappings {
		m.arena = nil // the arena is this call's: later stages use their own
		nulls = nulls || m.mayHaveNull
	}
	if nulls { // else there are none: the compiler itself writes no nulls
		res.stripNulls()
	}
	return res
}

// stripNulls runs stripNulls on every resource's Properties.
func (res *Result) stripNulls() {
	for i, p := range res.Resources.Pairs {
		if props := p.Value.GetPair("Properties"); props != nil {
			if x := stripNulls(props.Value); x != props.Value {
				v := shallowCopy(p.Value)
				v.Set("Properties", x)
				res.Resources.Pairs[i].Value = v
			}
		}
	}
}

// serverlessResources is the newStreamObject of stream.js: the mapping and,
// for consumer: true, its StreamConsumer, in the order Serverless merges
// them into the template. The mapping's Properties already hold its
// FunctionName.
func serverlessResources(a *node.Arena, m *Mapping) ([2]node.Pair, int) {
	r := m.Event.Node.Range
	depends := m.Event.Function.dependsOn(a)
	var consumerID *node.Node // the consumer's key and its DependsOn item: one node
	if m.Consumer != nil {
		consumerID = a.String(m.Consumer.LogicalID, r)
		d := a.SeqCap(r, len(depends.Items)+1)
		d.Items = append(append(d.Items, depends.Items...), consumerID)
		depends = d
	}
	esm := a.Map(r, node.Pair{Key: kType, Value: esmType}, node.Pair{Key: kDependsOn, Value: depends},
		node.Pair{Key: kProperties, Value: m.Properties})
	out := [2]node.Pair{{Key: a.String(m.LogicalID, r), Value: esm}}
	if m.Consumer == nil {
		return out, 1
	}
	c := node.Pair{Key: consumerID, Value: consumerResource(a, m, r)}
	if c.Key.Str == m.LogicalID { // one object: the consumer replaces the mapping
		return [2]node.Pair{c}, 1
	}
	out[1] = c
	return out, 2
}

var consumerType = node.NewString("AWS::Kinesis::StreamConsumer", diag.Range{})

func consumerResource(a *node.Arena, m *Mapping, r diag.Range) *node.Node {
	return a.Map(r, node.Pair{Key: kType, Value: consumerType}, node.Pair{Key: kProperties, Value: a.Map(r,
		node.Pair{Key: kStreamARN, Value: m.StreamARN}, node.Pair{Key: kConsumerName, Value: a.String(m.Consumer.Name, r)})})
}

// dependsOn is the DependsOn of the function's mappings without a
// consumer: its role and alias. The node is shared by those mappings
// (template nodes are never modified) and placed at the function's key.
func (f *Function) dependsOn(a *node.Arena) *node.Node {
	if f.depends != nil {
		return f.depends
	}
	r := f.Key.Range
	d := a.SeqCap(r, 2)
	if role := f.RoleResourceName(); role != "" {
		d.Items = append(d.Items, a.String(role, r))
	}
	if f.Alias != "" {
		d.Items = append(d.Items, a.String(AliasLogicalID(f.Name, f.Alias), r))
	}
	d.Shared = true
	f.depends = d
	return d
}

// lambdaTarget is resolve-lambda-target.js: the function's ARN, or its
// alias's ARN joined from it. The node is shared by the function's mappings
// and placed at the function's key.
func (f *Function) lambdaTarget(a *node.Arena) *node.Node {
	if f.target != nil {
		return f.target
	}
	r := f.Key.Range
	f.target = getAttNode(a, f.normalized()+"LambdaFunction", "Arn", r)
	if f.Alias != "" {
		f.target = a.Map(r, node.Pair{Key: kJoin, Value: a.Seq(r,
			a.String(":", r), a.Seq(r, f.target, a.String(f.Alias, r)))})
	}
	f.target.Shared = true
	return f.target
}

// shallowCopy copies a map's pairs so that setting a key does not change n,
// with room for the key a caller sets next.
func shallowCopy(n *node.Node) *node.Node {
	c := node.New(*n)
	c.Pairs = append(make([]node.Pair, 0, len(n.Pairs)+1), n.Pairs...)
	return c
}
