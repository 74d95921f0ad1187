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
	switch {
	case m.TypeIs("dynamodb"):
		s[stmtDynamoDB] = append(s[stmtDynamoDB], m.StreamARN)
	case m.ConsumerStatement:
		s[stmtKinesisConsumer] = append(s[stmtKinesisConsumer], m.StreamARN)
	default:
		s[stmtKinesis] = append(s[stmtKinesis], m.StreamARN)
	}
	if m.Consumer != nil {
		s[stmtSubscribe] = append(s[stmtSubscribe], refNode(m.Consumer.LogicalID, m.Event.Node.Range))
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
func (s *statementResources) statements() []*node.Node {
	var out []*node.Node
	for kind, res := range s {
		if len(res) == 0 {
			continue
		}
		out = append(out, statement(kind, res))
	}
	return out
}

// actionNodes and allow are built once: every statement of a kind shares
// them. Template nodes are never modified after they are built (a merge
// works on a copy), so sharing is safe and saves most of the statements'
// allocations on a large service.
var (
	actionNodes = func() (out [stmtCount]*node.Node) {
		for kind, actions := range statementActions {
			acts := node.NewSeq(diag.Range{})
			for _, a := range actions {
				acts.Items = append(acts.Items, node.NewString(a, diag.Range{}))
			}
			out[kind] = acts
		}
		return out
	}()
	allow = node.NewString("Allow", diag.Range{})
)

func statement(kind int, resources []*node.Node) *node.Node {
	var r diag.Range
	st := node.NewMap(r)
	st.Pairs = make([]node.Pair, 0, 3)
	st.Set("Effect", allow)
	st.Set("Action", actionNodes[kind])
	st.Set("Resource", node.NewSeq(r, resources...))
	return st
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

// merge adds new resources as Serverless's _.merge into Resources does. A
// new logical ID takes the value as is (the compiler owns it, so lodash's
// copy is not needed); a colliding one is merged into a private copy, so
// the mapping that came first keeps its own properties.
func (res *Result) merge(resources *node.Node) {
	for _, p := range resources.Pairs {
		i, ok := res.index[p.Key.Str]
		if !ok {
			res.index[p.Key.Str] = len(res.Resources.Pairs)
			res.Resources.Pairs = append(res.Resources.Pairs, p)
			continue
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
}

// Compile compiles every stream event of svc as Serverless v3 does.
// Findings with Error severity mean the config cannot be compiled (where
// Serverless itself would stop or crash).
func Compile(svc *Service) *Result {
	res := &Result{Service: svc, Resources: node.NewMap(diag.Range{}), index: map[string]int{}}
	for _, f := range svc.Functions {
		var stmts statementResources
		for _, e := range f.Events {
			m, fail := compileEvent(svc, e)
			if fail != nil {
				res.Findings = append(res.Findings, *fail)
				continue
			}
			res.Mappings = append(res.Mappings, m)
			stmts.add(m)
			res.merge(serverlessResources(m))
		}
		st := stmts.statements()
		if svc.DefaultRole {
			res.Statements = append(res.Statements, st...)
		}
	}
	for i, p := range res.Resources.Pairs {
		if props := p.Value.GetPair("Properties"); props != nil {
			if x := stripNulls(props.Value); x != props.Value {
				v := shallowCopy(p.Value)
				v.Set("Properties", x)
				res.Resources.Pairs[i].Value = v
			}
		}
	}
	return res
}

// serverlessResources is the newStreamObject of stream.js: the mapping and,
// for consumer: true, its StreamConsumer.
func serverlessResources(m *Mapping) *node.Node {
	r := m.Event.Node.Range
	f := m.Event.Function
	out := node.NewMap(r)
	depends := node.NewSeq(r)
	if role := f.RoleResourceName(); role != "" {
		depends.Items = append(depends.Items, node.NewString(role, r))
	}
	if f.Alias != "" {
		depends.Items = append(depends.Items, node.NewString(AliasLogicalID(f.Name, f.Alias), r))
	}
	if m.Consumer != nil {
		depends.Items = append(depends.Items, node.NewString(m.Consumer.LogicalID, r))
	}
	props := shallowCopy(m.Properties)
	props.Set("FunctionName", lambdaTarget(f, r))
	esm := node.NewMap(r)
	esm.Set("Type", esmType)
	esm.Set("DependsOn", depends)
	esm.Set("Properties", props)
	out.Set(m.LogicalID, esm)
	if m.Consumer != nil {
		out.Set(m.Consumer.LogicalID, consumerResource(m, r))
	}
	return out
}

func consumerResource(m *Mapping, r diag.Range) *node.Node {
	c := node.NewMap(r)
	c.Set("Type", node.NewString("AWS::Kinesis::StreamConsumer", r))
	cp := node.NewMap(r)
	cp.Set("StreamARN", m.StreamARN)
	cp.Set("ConsumerName", node.NewString(m.Consumer.Name, r))
	c.Set("Properties", cp)
	return c
}

// lambdaTarget is resolve-lambda-target.js: the function's ARN, or its
// alias's ARN joined from it.
func lambdaTarget(f *Function, r diag.Range) *node.Node {
	arn := getAttNode(LambdaLogicalID(f.Name), "Arn", r)
	if f.Alias == "" {
		return arn
	}
	j := node.NewMap(r)
	j.Set("Fn::Join", node.NewSeq(r, node.NewString(":", r), node.NewSeq(r, arn, node.NewString(f.Alias, r))))
	return j
}

// shallowCopy copies a map's pairs so that setting a key does not change n,
// with room for the key a caller sets next.
func shallowCopy(n *node.Node) *node.Node {
	c := node.New(*n)
	c.Pairs = append(make([]node.Pair, 0, len(n.Pairs)+1), n.Pairs...)
	return c
}
