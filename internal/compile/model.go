package compile

import (
	"fmt"
	"math"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Service is what the stream compiler reads of a resolved serverless.yml.
type Service struct {
	Name       string
	Stage      string
	Region     string
	Root       *node.Node
	NamingMode bool // provider.kinesis.consumerNamingMode is set (any truthy value)
	Functions  []*Function
	// DefaultRole reports whether Serverless creates IamRoleLambdaExecution,
	// which receives the stream statements in serverless mode.
	DefaultRole bool
	// RoleStatements counts provider.iam.role.statements (or the legacy
	// iamRoleStatements): they precede the stream statements in the role.
	RoleStatements int
}

// plugins lists the plugins the service declares.
func (svc *Service) plugins() []string { return pluginNames(svc.Root.Get("plugins")) }

// Function is one entry of functions: with its stream events.
type Function struct {
	Name    string // the key in functions:
	Key     *node.Node
	Node    *node.Node
	Alias   string     // "", ProvisionedAlias or SnapStartAlias
	Role    *node.Node // the custom execution role, nil for Serverless's default role
	Events  []*Event
	Plugins []string

	// Built once for all of the function's mappings: its normalized name,
	// and the DependsOn and FunctionName of serverless mode.
	norm    string
	depends *node.Node
	target  *node.Node
}

// normalized is NormalizedResourceName(f.Name).
func (f *Function) normalized() string {
	if f.norm == "" {
		f.norm = NormalizedResourceName(f.Name)
	}
	return f.norm
}

// PhysicalName is the deployed function's name: functions.X.name, else
// <service>-<stage>-<X>.
func (f *Function) PhysicalName(svc *Service) string {
	if n := f.Node.Get("name"); n.IsString() && n.Str != "" {
		return n.Str
	}
	return svc.Name + "-" + svc.Stage + "-" + f.Name
}

// Event is one stream event after ajv's coercions.
type Event struct {
	Function *Function
	Index    int        // position in the function's events list
	Node     *node.Node // the value of `stream:`
	Object   bool       // written in object form
	// unindexed: see opt. It fits in the padding after Object.
	unindexed bool
	ARN       *node.Node
	Type      *node.Node // explicit type, if any
	// Opt are the options of the object form, coerced, in source order
	// (keys are unique). It is Node's own pairs when no coercion changed a
	// value, which is the common case.
	Opt []node.Pair
	// opt holds 1 + the position in Opt of each option the compiler
	// reads (see optIndex), 0 when it is not written: a look-up rather
	// than a search of Opt for each of them. An event with more options
	// than a uint8 counts is unindexed and searched.
	opt [optCount]uint8
}

// Get returns an option of the object form, already coerced, or nil.
func (e *Event) Get(key string) *node.Node {
	for i := range e.Opt {
		if e.Opt[i].Key.Str == key {
			return e.Opt[i].Value
		}
	}
	return nil
}

// get is Get of option o (an opt constant), without searching.
func (e *Event) get(o int) *node.Node {
	if e.unindexed {
		return e.Get(optNames[o])
	}
	if i := e.opt[o]; i > 0 {
		return e.Opt[i-1].Value
	}
	return nil
}

// has is Has of option o.
func (e *Event) has(o int) bool {
	if e.unindexed {
		return e.Has(optNames[o])
	}
	return e.opt[o] > 0
}

// Has reports whether an option is written (even as null).
func (e *Event) Has(key string) bool {
	for i := range e.Opt {
		if e.Opt[i].Key.Str == key {
			return true
		}
	}
	return false
}

// Load reads the service model from a resolved config. It reports problems
// that make the config unreadable for the compiler; schema problems are the
// linter's.
func Load(root *node.Node, stage, region string) (*Service, diag.Findings) {
	svc := &Service{Stage: stage, Region: region, Root: root}
	var fs diag.Findings
	if !root.IsMap() {
		return svc, append(fs, finding(root, "the configuration must be a mapping of service, provider, functions..."))
	}
	if s := root.Get("service"); s.IsMap() {
		// Serverless v3 refuses the v1 form before anything else.
		fs = append(fs, finding(s, `Object notation for "service" property is not supported (Serverless v3); write service: <name>`))
	}
	svc.Name = serviceName(root.Get("service"))
	provider := root.Get("provider")
	svc.NamingMode = provider.Path("kinesis", "consumerNamingMode").Truthy()
	plugins := pluginNames(root.Get("plugins"))
	functions := root.Get("functions")
	if functions != nil && !functions.IsMap() && !functions.IsNull() {
		fs = append(fs, finding(functions, fmt.Sprintf("functions must be a mapping of function names, not %s", functions.Describe())))
	}
	if functions.IsMap() {
		// Object.keys order: integer-like function names come first.
		fns := make([]Function, len(functions.Pairs)) // one allocation for all
		for i, p := range node.JSOrder(functions.Pairs) {
			f, ffs := loadFunction(&fns[i], p, provider)
			f.Plugins = plugins
			fs = append(fs, ffs...)
			svc.Functions = append(svc.Functions, f)
		}
	}
	svc.DefaultRole = hasDefaultRole(provider, svc.Functions)
	statements := provider.Path("iam", "role", "statements")
	if statements == nil {
		statements = provider.Get("iamRoleStatements")
	}
	if statements.IsSeq() {
		svc.RoleStatements = len(statements.Items)
	}
	return svc, fs
}

func serviceName(n *node.Node) string {
	if n.IsMap() { // the pre-v3 form service: {name: x}
		n = n.Get("name")
	}
	if n == nil {
		return ""
	}
	return n.JSString()
}

func pluginNames(n *node.Node) []string {
	if n.IsMap() {
		n = n.Get("modules")
	}
	var out []string
	if n.IsSeq() {
		for _, it := range n.Items {
			if it.IsString() {
				out = append(out, it.Str)
			}
		}
	}
	return out
}

func loadFunction(f *Function, p node.Pair, provider *node.Node) (*Function, diag.Findings) {
	*f = Function{Name: p.Key.Str, Key: p.Key, Node: p.Value}
	if !p.Value.IsMap() {
		if p.Value.IsNull() {
			f.Node = node.NewMap(p.Key.Range)
		}
		return f, nil
	}
	var fs diag.Findings
	// The schema coerces both first: "0" and [0] are 0, "false" is false.
	pc := coerceNumber(p.Value.Get("provisionedConcurrency"), true)
	ss := coerceBool(p.Value.Get("snapStart"))
	switch {
	case pc.Truthy() && ss.Truthy():
		fs = append(fs, finding(ss, fmt.Sprintf(`Functions with enabled SnapStart does not support provisioned concurrency. Please remove at least one of the settings on function %q (Serverless v3 stops here)`, f.Name)))
	case pc.Truthy():
		f.Alias = ProvisionedAlias
	case ss.Truthy():
		f.Alias = SnapStartAlias
	}
	f.Role = customRole(p.Value, provider)
	events := p.Value.Get("events")
	if events.IsNull() {
		return f, fs
	}
	if !events.IsSeq() {
		return f, append(fs, finding(events, fmt.Sprintf("events of function %q must be a list, not %s", f.Name, events.Describe())))
	}
	var all []Event // allocated once, at the first stream event
	for i, ev := range events.Items {
		s := ev.Get("stream")
		if !s.Truthy() {
			continue
		}
		if all == nil {
			all = make([]Event, 0, len(events.Items)-i)
			f.Events = make([]*Event, 0, len(events.Items)-i)
		}
		all = append(all, Event{})
		f.Events = append(f.Events, newEvent(&all[len(all)-1], f, i, s))
	}
	return f, fs
}

func newEvent(e *Event, f *Function, index int, s *node.Node) *Event {
	*e = Event{Function: f, Index: index, Node: s}
	if !s.IsMap() {
		// The string form; ajv coerces numbers and booleans to strings.
		e.ARN = coerceString(s)
		return e
	}
	e.Object = true
	e.Opt = s.Pairs
	copied := false // the config's pairs are shared: copy before a change
	for i, p := range s.Pairs {
		o := optIndex(p.Key.Str)
		if o < 0 {
			continue
		}
		if i < math.MaxUint8 {
			e.opt[o] = uint8(i + 1)
		} else {
			e.unindexed = true
		}
		if v := coerceOption(p, o); v != p.Value {
			if !copied {
				e.Opt, copied = append([]node.Pair(nil), s.Pairs...), true
			}
			e.Opt[i].Value = v
		}
	}
	e.ARN = e.get(optARN)
	e.Type = e.get(optType)
	return e
}

// coerceOption returns the value of option p after the schema's coercion.
func coerceOption(p node.Pair, o int) *node.Node {
	v := p.Value
	if v.Kind == node.Null {
		// Serverless removes null values before validation and puts them
		// back after it, so they are never coerced.
		return v
	}
	// The stream schema's typed properties.
	switch o {
	case optBatchSize, optParallel, optBatchWindow, optRetryAttempts, optTumblingWindow, optRecordAge:
		v = coerceNumber(v, true)
	case optEnabled, optBisect:
		v = coerceBool(v)
	case optTimestamp:
		v = coerceNumber(v, false)
	case optARN, optConsumer:
		// anyOf branches: awsArnString coerces scalars to strings
		// (consumer: false becomes "false"); true stays true.
		if !(o == optConsumer && v.Kind == node.Bool && v.Bool) && !v.IsMap() {
			v = coerceString(v)
		}
		v = coerceGetAtt(v)
	case optDestinations:
		v = coerceDestinations(v)
	}
	return v
}

// The options of a stream event the compiler reads, by index.
const (
	optARN = iota
	optType
	optBatchSize
	optParallel
	optStartingPosition
	optEnabled
	optBatchWindow
	optRetryAttempts
	optBisect
	optResponseType
	optRecordAge
	optTumblingWindow
	optDestinations
	optFilterPatterns
	optConsumer
	optTimestamp
	optCount
)

var optNames = [optCount]string{"arn", "type", "batchSize", "parallelizationFactor", "startingPosition", "enabled",
	"batchWindow", "maximumRetryAttempts", "bisectBatchOnFunctionError", "functionResponseType",
	"maximumRecordAgeInSeconds", "tumblingWindowInSeconds", "destinations", "filterPatterns", "consumer",
	"startingPositionTimestamp"}

// optIndex returns the index of option k, or -1 for one the compiler
// does not read.
func optIndex(k string) int {
	switch k {
	case "arn":
		return optARN
	case "type":
		return optType
	case "batchSize":
		return optBatchSize
	case "parallelizationFactor":
		return optParallel
	case "startingPosition":
		return optStartingPosition
	case "enabled":
		return optEnabled
	case "batchWindow":
		return optBatchWindow
	case "maximumRetryAttempts":
		return optRetryAttempts
	case "bisectBatchOnFunctionError":
		return optBisect
	case "functionResponseType":
		return optResponseType
	case "maximumRecordAgeInSeconds":
		return optRecordAge
	case "tumblingWindowInSeconds":
		return optTumblingWindow
	case "destinations":
		return optDestinations
	case "filterPatterns":
		return optFilterPatterns
	case "consumer":
		return optConsumer
	case "startingPositionTimestamp":
		return optTimestamp
	}
	return -1
}

// coerceGetAtt mirrors ajv's coercion inside awsCfGetAtt, whose Fn::GetAtt
// is {type: array}: the long form with a string, {"Fn::GetAtt": "A.B"},
// becomes the one-item list ["A.B"] (the short tag !GetAtt A.B is already
// split by the YAML schema).
func coerceGetAtt(v *node.Node) *node.Node {
	if !v.IsMap() || len(v.Pairs) != 1 || v.Pairs[0].Key.Str != "Fn::GetAtt" || !v.Pairs[0].Value.IsString() {
		return v
	}
	c := *v
	s := v.Pairs[0].Value
	c.Pairs = []node.Pair{{Key: v.Pairs[0].Key, Value: node.NewSeq(s.Range, s)}}
	return &c
}

// coerceDestinations applies coerceGetAtt to onFailure's arn.
func coerceDestinations(d *node.Node) *node.Node {
	of := d.Get("onFailure")
	if !of.IsMap() {
		return d
	}
	arn := of.Get("arn")
	if x := coerceGetAtt(arn); x != arn {
		ofc := *of
		ofc.Pairs = append([]node.Pair(nil), of.Pairs...)
		ofc.Set("arn", x)
		dc := *d
		dc.Pairs = append([]node.Pair(nil), d.Pairs...)
		dc.Set("onFailure", &ofc)
		return &dc
	}
	return d
}

// customRole mirrors provider.getCustomExecutionRole: the function's role,
// else provider.iam.role when it names an existing role, else provider.role.
func customRole(fn, provider *node.Node) *node.Node {
	// The schema's string branch coerces a scalar role: false is "false".
	if r := fn.Get("role"); r != nil && (r.Kind == node.Number || r.Kind == node.Bool) {
		return coerceString(r)
	} else if r.Truthy() {
		return r
	}
	if r := provider.Path("iam", "role"); isExistingRole(r) {
		return r
	}
	if r := provider.Get("role"); r.Truthy() {
		return r
	}
	return nil
}

// isExistingRole: a string, or an object with an intrinsic ("::") key.
func isExistingRole(r *node.Node) bool {
	if r.IsString() {
		return true
	}
	if r.IsMap() {
		for _, p := range r.Pairs {
			if strings.Contains(p.Key.Str, "::") {
				return true
			}
		}
	}
	return false
}

// hasDefaultRole mirrors merge-iam-templates: the default role exists unless
// the provider names an existing role, sets the legacy role, or every
// function has its own role.
func hasDefaultRole(provider *node.Node, fns []*Function) bool {
	if len(fns) == 0 {
		return false
	}
	if isExistingRole(provider.Path("iam", "role")) || provider.GetPair("role") != nil {
		return false
	}
	for _, f := range fns {
		if f.Node.GetPair("role") == nil {
			return true
		}
	}
	return false
}

// RoleResourceName mirrors provider.resolveFunctionIamRoleResourceName: the
// logical ID the mapping depends on, or "" for none.
func (f *Function) RoleResourceName() string {
	r := f.Role
	if !r.Truthy() { // no custom role, or provider.iam.role: ""
		return DefaultRoleLogicalID
	}
	if r.Kind == node.String {
		if strings.Contains(r.Str, ":") {
			return ""
		}
		return r.Str
	}
	if r.IsMap() {
		if ga := r.Get("Fn::GetAtt"); ga.IsSeq() && len(ga.Items) == 2 &&
			ga.Items[0].IsString() && ga.Items[1].IsString() && ga.Items[1].Str == "Arn" {
			return ga.Items[0].Str
		}
		if r.Get("Fn::ImportValue").Truthy() || r.Get("Ref").Truthy() || r.Get("Fn::Sub").Truthy() {
			return ""
		}
	}
	return DefaultRoleLogicalID
}

// Rule is the finding rule for configs the compiler cannot compile.
const Rule = "compile"

// Rules describes the rules of this package for the registry
// (internal/rules).
func Rules() []diag.Rule {
	return []diag.Rule{
		{ID: Rule, Severity: diag.Error,
			Summary:     "an event Serverless would crash on, that needs an unresolved value, or (standalone) a logical-ID collision",
			Description: "A stream event cannot be compiled: Serverless v3 would stop or crash with a JavaScript TypeError on it, it needs an unresolved variable, or (standalone mode) two events compile to one logical ID.",
			Help:        "The message names the value and what Serverless v3 needs instead. A value that needs an unresolved variable compiles once the variable resolves (see the variable finding at it)."},
		{ID: RoleRule, Severity: diag.Error,
			Summary:     "an execution role standalone mode cannot name",
			Description: "Standalone mode cannot name the execution role its stream policy attaches to (a role given as a logical ID or an intrinsic); give a role ARN, a literal RoleName, or --role-name.",
		},
		{ID: BaseRule, Severity: diag.Error, Stages: diag.InCompile, // only the CLI's --base reads one
			Summary:     "a `--base` template the resources cannot be merged into",
			Description: "The --base template is not a CloudFormation template with Resources, or lacks the IamRoleLambdaExecution statements the stream statements go into.",
			Help:        "Pass the template Serverless writes without stream events (`.serverless/cloudformation-template-update-stack.json` of a `serverless package`), unchanged."},
	}
}

func finding(n *node.Node, msg string) diag.Finding {
	var r diag.Range
	if n != nil {
		r = n.Range
	}
	return diag.Finding{Rule: Rule, Severity: diag.Error, Message: msg, Range: r}
}
