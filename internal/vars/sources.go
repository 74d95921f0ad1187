package vars

import (
	"fmt"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// call is one source invocation: its resolved params and address.
type call struct {
	typ     string
	params  []*node.Node // nil entries are JavaScript null
	address *node.Node   // nil: no address
	text    string       // the variable as written, for messages
	// embedded is set when the variable is part of a longer string: only
	// its value's text is read, so a scalar need not be copied.
	embedded bool
	st       site
	v        *Var
	path     []string
}

// addr returns the address as a string and whether there is one
// (JavaScript's "if (!address)" treats "" as none).
func (c *call) addr() (string, bool) {
	if c.address == nil || !c.address.Truthy() {
		return "", false
	}
	return c.address.JSString(), true
}

// resolveVar resolves one variable: its sources in order until one gives a
// value (resolve.js resolveVariable).
func (r *resolver) resolveVar(text string, v *Var, st site, path []string) (*node.Node, *verr) {
	r.depth++
	val, e := r.resolveVarSources(text, v, st, path)
	r.depth--
	return val, e
}

func (r *resolver) resolveVarSources(text string, v *Var, st site, path []string) (*node.Node, *verr) {
	r.steps++
	if r.depth > maxDepth {
		return nil, r.failAt(st, text, v, path, errorf(RuleCycle, "variables nest more than %d levels deep", maxDepth))
	}
	if r.steps > maxSteps {
		return nil, r.exhausted(st, text, v, path, fmt.Sprintf("resolving takes more than %d variables; the variables probably expand exponentially", maxSteps))
	}
	for i, src := range v.Sources {
		if src.Type == "" {
			return r.copyFor(src.Literal, st.n.Range, !v.Whole)
		}
		c := &call{typ: src.Type, text: text[v.Start:v.End], embedded: !v.Whole, st: st, v: v, path: path}
		if !knownSource(src.Type) {
			return nil, r.pendingAt(c, fmt.Sprintf("Unrecognized configuration variable source %q in %q: it is not built into Serverless (a plugin may provide it), so it is not resolved offline", src.Type, c.text))
		}
		if e := r.resolveArgs(src, c); e != nil {
			return nil, e
		}
		val, notFound, e := r.source(c)
		if e != nil && e.offline && i < len(v.Sources)-1 {
			// Offline, the fallback stands in, so lint and compile agree
			// on a value; deploy, with credentials, reads the real one.
			r.report(RuleRemote, diag.Notice, c.st.rangeAt(c.v.Start, c.v.End),
				fmt.Sprintf("%q reads %s, which needs AWS credentials: offline its fallback is used; deploy (or a run with credentials) resolves the real value", c.text, remoteWhat[c.typ]))
			continue
		}
		if e != nil {
			if e.pending != "" && !e.reported && e.msg != "" {
				return nil, r.pendingAt(c, e.msg)
			}
			return nil, r.failAt(st, text, v, path, e)
		}
		if val != nil && val.Kind != node.Null {
			return val, nil
		}
		if i == len(v.Sources)-1 {
			if notFound == "" {
				notFound = fmt.Sprintf("Value not found at %q source", src.Type)
			}
			return nil, r.failAt(st, text, v, path, errorf(RuleUnresolved, "%s", notFound))
		}
	}
	return nil, nil // unreachable: the parser never yields a variable without sources
}

// pendingAt leaves a variable unresolved with a warning.
func (r *resolver) pendingAt(c *call, msg string) *verr {
	r.report(RuleRemote, diag.Warning, c.st.rangeAt(c.v.Start, c.v.End), msg)
	return &verr{pending: c.text, reported: true}
}

// resolveArgs resolves the variables nested in a source's params and
// address (resolveVariableSource).
func (r *resolver) resolveArgs(src *Source, c *call) *verr {
	if src.HasParams {
		c.params = make([]*node.Node, len(src.Params))
		for i, m := range src.Params {
			v, e := r.resolveMeta(m, c.st, c.path)
			if e != nil {
				return e
			}
			c.params[i] = v
		}
	}
	if src.Address != nil {
		v, e := r.resolveMeta(src.Address, c.st, c.path)
		if e != nil {
			return e
		}
		c.address = v
	}
	return nil
}

func (r *resolver) resolveMeta(m *Meta, st site, path []string) (*node.Node, *verr) {
	if m.Vars == nil {
		return m.Value, nil
	}
	// The meta's variables carry offsets into the whole parsed string;
	// resolveValue slices the meta's own text, so make them relative and
	// keep the meta's offset for positions.
	vars := make([]Var, len(m.Vars))
	for i, v := range m.Vars {
		v.Start -= m.Start
		v.End -= m.Start
		vars[i] = v
	}
	st.base = m.Start
	return r.resolveValue(m.Value.Str, vars, st, path, 0, true)
}

// knownSource reports whether Serverless has a source of this name built
// in.
func knownSource(typ string) bool {
	switch typ {
	case "self", "opt", "env", "file", "strToBool", "sls", "param", "aws", "cf", "ssm", "s3":
		return true
	}
	return false
}

// source dispatches to one source. It returns the value (nil or a Null
// node for "no value"), an optional "not found" message, or an error.
func (r *resolver) source(c *call) (*node.Node, string, *verr) {
	switch c.typ {
	case "self":
		return r.selfSource(c)
	case "opt":
		return r.optSource(c)
	case "env":
		return r.envSource(c)
	case "file":
		return r.fileSource(c)
	case "strToBool":
		return strToBool(c)
	case "sls":
		return r.slsSource(c)
	case "param":
		return r.paramSource(c)
	case "aws":
		return r.awsSource(c)
	}
	return r.remoteSource(c)
}

func (r *resolver) selfSource(c *call) (*node.Node, string, *verr) {
	a, _ := c.addr()
	v, e := r.lookupAddr(a)
	if e != nil {
		return nil, "", e
	}
	v, e = r.copyFor(v, c.st.n.Range, c.embedded)
	return v, "", e
}

func (r *resolver) optSource(c *call) (*node.Node, string, *verr) {
	if c.address == nil {
		m := node.NewMap(c.st.n.Range)
		for _, k := range sortedKeys(r.o.Opts) {
			m.Pairs = append(m.Pairs, node.Pair{Key: node.NewString(k, c.st.n.Range), Value: node.NewString(r.o.Opts[k], c.st.n.Range)})
		}
		return m, "", nil
	}
	if v, ok := r.o.Opts[c.address.JSString()]; ok {
		return node.NewString(v, c.st.n.Range), "", nil
	}
	return nil, "", nil
}

func (r *resolver) envSource(c *call) (*node.Node, string, *verr) {
	name, ok := c.addr()
	if !ok {
		return nil, "", errorf(RuleUnresolved, `Missing address argument in variable "env" source`)
	}
	if why := secretEnv(name); why != "" {
		return nil, "", errorf(RuleSecretEnv, "%q is not resolved: %s would end up in the template artifact (%s)", c.text, name, why)
	}
	if r.o.Getenv == nil {
		return nil, "", nil
	}
	if v, ok := r.o.Getenv(name); ok {
		return node.NewString(v, c.st.n.Range), "", nil
	}
	return nil, "", nil
}

var (
	trueStrings  = map[string]bool{"true": true, "1": true}
	falseStrings = map[string]bool{"false": true, "0": true}
)

// strToBool is sources/str-to-bool.js. A literal false or 0 param was
// turned into null by the parser ("value || null"), hence the quirk that
// ${strToBool(false)} is a missing input.
func strToBool(c *call) (*node.Node, string, *verr) {
	if len(c.params) == 0 || c.params[0].IsNull() {
		return nil, "", errorf(RuleUnresolved, `Missing "strToBool" input`)
	}
	p := c.params[0]
	s, ok := coerceString(p)
	if !ok {
		return nil, "", errorf(RuleUnresolved, `Non-string "strToBool" input:. Received: %s`, shortString(p))
	}
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case trueStrings[s]:
		return node.NewBool(true, c.st.n.Range), "", nil
	case falseStrings[s]:
		return node.NewBool(false, c.st.n.Range), "", nil
	}
	return nil, "", errorf(RuleUnresolved, `Invalid "strToBool" input: Expected either "true", "false", "0", or "1". Received: %s`, shortString(p))
}

// shortString approximates type/lib/to-short-string.
func shortString(n *node.Node) string {
	s, ok := coerceString(n)
	if !ok {
		s = "[object Object]"
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

func (r *resolver) slsSource(c *call) (*node.Node, string, *verr) {
	a, ok := c.addr()
	if !ok {
		return nil, "", errorf(RuleUnresolved, `Missing address argument in variable "sls" source`)
	}
	switch a {
	case "stage":
		s, e := r.stageOf()
		if e != nil {
			return nil, "", e
		}
		return node.NewString(s, c.st.n.Range), "", nil
	case "instanceId":
		return nil, "", &verr{pending: c.text, msg: fmt.Sprintf("%q differs on every Serverless run; it is not resolved offline", c.text)}
	}
	return nil, "", errorf(RuleUnresolved, `Unsupported %q address argument in variable "sls" source`, a)
}

func (r *resolver) awsSource(c *call) (*node.Node, string, *verr) {
	a, ok := c.addr()
	if !ok {
		return nil, "", errorf(RuleUnresolved, `Missing address argument in variable "aws" source`)
	}
	switch a {
	case "region":
		s, e := r.regionOf()
		if e != nil {
			return nil, "", e
		}
		return node.NewString(s, c.st.n.Range), "", nil
	case "accountId":
		return r.remote(c, "aws", "", a)
	}
	return nil, "", errorf(RuleUnresolved, `Unsupported %q address argument in variable "aws" source`, a)
}

// paramSource is the dashboard plugin's "param" source: --param values,
// then params.<stage>, then params.default; a falsy value is no value.
func (r *resolver) paramSource(c *call) (*node.Node, string, *verr) {
	a, ok := c.addr()
	if !ok {
		return nil, "", errorf(RuleUnresolved, `Missing address argument in variable "param" source`)
	}
	stage, e := r.stageOf()
	if e != nil {
		return nil, "", e
	}
	if v, ok := r.o.Params[a]; ok && strings.TrimRight(v, " \t\r\n") != "" {
		return node.NewString(strings.TrimRight(v, " \t\r\n"), c.st.n.Range), "", nil
	}
	for _, scope := range []string{stage, "default"} {
		v, e := r.lookup([]string{"params", scope, a})
		if e != nil {
			return nil, "", e
		}
		if v.IsNull() {
			continue
		}
		// 0, false and "" are values (recorded with Serverless 3.40.0).
		v, e = r.copyFor(v, c.st.n.Range, c.embedded)
		return v, "", e
	}
	where := ""
	if r.root.Get("org").Truthy() && r.root.Get("app").Truthy() {
		where = " or Serverless Dashboard"
	}
	return nil, fmt.Sprintf("The param %q cannot be resolved from CLI options or stage params%s. If you are using Serverless Framework Compose, make sure to run commands via Compose so that all parameters can be resolved", a, where), nil
}

// stageOf is how get-sls.js and the param source find the stage:
// --stage, then provider.stage, then "dev".
func (r *resolver) stageOf() (string, *verr) {
	return r.optOrProvider(providerStage, "dev", &r.stageMemo)
}

// regionOf is how get-aws.js finds the region.
func (r *resolver) regionOf() (string, *verr) {
	return r.optOrProvider(providerRegion, "us-east-1", &r.regionMemo)
}

// The keys of provider.stage and provider.region, built once: every
// ${sls:stage} and ${aws:region} looks them up. The paths are never
// written in place (lookup clips what it hands on).
var (
	providerStage  = []string{"provider", "stage"}
	providerRegion = []string{"provider", "region"}
	providerMemo   = map[string]string{"stage": lookupKey(providerStage), "region": lookupKey(providerRegion)}
)

// found is a memoized stage or region. A successful lookup gives the same
// value every time (resolution replaces a property once, by its final
// value, and never adds keys), so every ${sls:stage} and ${aws:region}
// after the first reads it here.
type found struct {
	s  string
	ok bool
}

func (r *resolver) optOrProvider(keys []string, def string, memo *found) (string, *verr) {
	if memo.ok {
		return memo.s, nil
	}
	key := keys[1]
	s := def
	if v := r.o.Opts[key]; v != "" {
		s = v
	} else {
		v, e := r.lookupMemo(keys, providerMemo[key])
		if e != nil {
			return "", e
		}
		if v.Truthy() {
			s = v.JSString()
		}
	}
	*memo = found{s: s, ok: true}
	return s, nil
}

func (r *resolver) stage() string {
	s, e := r.stageOf()
	if e != nil {
		return "dev"
	}
	return s
}

func (r *resolver) region() string {
	s, e := r.regionOf()
	if e != nil {
		return "us-east-1"
	}
	return s
}

// copyFor is copy, except that a scalar only read as text (embedded in a
// string) is returned as it is.
func (r *resolver) copyFor(n *node.Node, at diag.Range, embedded bool) (*node.Node, *verr) {
	if embedded && n != nil && n.Kind != node.Map && n.Kind != node.Seq {
		return n, nil
	}
	return r.copy(n, at)
}

// copy returns n for use as a new value at range at: scalars are copied,
// containers deep-copied (they are resolved again in place). Copies are
// bounded in all, as copies of copies grow exponentially.
func (r *resolver) copy(n *node.Node, at diag.Range) (*node.Node, *verr) {
	if n == nil {
		return nil, nil
	}
	var c *node.Node
	if n.Kind == node.Map || n.Kind == node.Seq {
		r.copied += size(n, maxCopied-r.copied+1)
		if r.copied > maxCopied {
			return nil, r.exhausted(site{n: n}, "", nil, nil, fmt.Sprintf("variables copy more than %d values; they probably expand exponentially", maxCopied))
		}
		c = n.Clone()
	} else {
		c = node.New(*n)
	}
	c.Range = at
	return c, nil
}

// size counts the values in n, stopping once it reaches limit.
func size(n *node.Node, limit int) int {
	count := 1
	var visit func(*node.Node)
	visit = func(n *node.Node) {
		for _, it := range n.Items {
			if count++; count < limit {
				visit(it)
			}
		}
		for _, p := range n.Pairs {
			if count++; count < limit {
				visit(p.Value)
			}
		}
	}
	visit(n)
	return count
}

// exhausted reports a resource bound once; every later failure it causes
// is silent.
func (r *resolver) exhausted(st site, text string, v *Var, path []string, msg string) *verr {
	if r.exhaustedOnce {
		return &verr{rule: RuleCycle, msg: msg, reported: true}
	}
	r.exhaustedOnce = true
	e := errorf(RuleCycle, "%s", msg)
	if path == nil {
		e.bare = true
		r.report(RuleCycle, diag.Error, st.n.Range, msg)
		e.reported = true
		return e
	}
	return r.failAt(st, text, v, path, e)
}
