package vars

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// This file follows lib/configuration/variables/resolve.js: how a
// property's variables are resolved, how the value is rebuilt (a property
// that is one variable takes the variable's value and type, anything else
// is a string), how fallbacks apply, and how a resolved value that holds
// variables again is resolved again, up to a nest depth of 10.

type propStatus uint8

const (
	pPlain      propStatus = iota + 1 // holds "${" but no variable
	pInProgress                       // being resolved: meeting it again is a cycle
	pDone
	pFailed
)

// prop is the resolution state of one string property of the tree.
type prop struct {
	status propStatus
	// path is set while the property is in progress, for cycle messages.
	// It is the caller's slice, not a copy (a copy per property made a deep
	// tree of variables quadratic): paths grow as stacks, by appending past
	// their length, so a path stays intact for as long as its call runs.
	path []string
	err  *verr
}

// verr is a failed or pending resolution.
type verr struct {
	// pending is set when the value needs a source that cannot be
	// resolved offline: the text of that variable.
	pending string
	// offline is set for an AWS source without credentials: a fallback
	// stands in for it, as deploy would resolve the real value.
	offline bool
	rule    string
	msg     string
	// reported is set once a finding was emitted; dependents that fail
	// because of it do not report again, as Serverless reports one error.
	reported bool
	// bare messages are reported without the "Cannot resolve variable at"
	// prefix.
	bare bool
}

func errorf(rule, format string, args ...any) *verr {
	return &verr{rule: rule, msg: fmt.Sprintf(format, args...)}
}

type resolver struct {
	o       Options
	root    *node.Node
	absRoot string

	props   map[*node.Node]*prop
	done    map[*node.Node]bool // values produced by resolution, final
	active  []*prop             // properties being resolved, outermost first
	lookups map[string]*node.Node
	files   map[string]fileResult
	remotes map[string]remoteResult
	index   map[*node.Node]map[string]int
	parsed  map[string]parsed
	simple  simple // parses simple variables once (segments.go)
	// stageMemo and regionMemo are the stage and region once found.
	stageMemo, regionMemo found
	// propBlock is where newProp takes props from.
	propBlock []prop
	depth     int

	steps, copied int  // resource use, bounded by maxSteps and maxCopied
	built         int  // bytes of strings built, bounded by maxBuilt
	exhaustedOnce bool // a bound was hit and reported

	findings diag.Findings
}

// site says where a string being resolved was written, to position
// findings at its variables.
type site struct {
	n     *node.Node
	exact bool // the string is n's own text, so offsets map to columns
	base  int  // offset of the text being resolved within n's text
}

func (s site) rangeAt(start, end int) diag.Range {
	if !s.exact {
		return s.n.Range
	}
	return textRange(s.n, s.base+start, s.base+end)
}

func (r *resolver) report(rule string, sev diag.Severity, at diag.Range, msg string) {
	r.findings = append(r.findings, diag.Finding{Rule: rule, Severity: sev, Message: msg, Range: at})
}

// walk resolves every string under n, a container of the original tree.
// It visits every node of the config: each child is dispatched in the loop,
// without a call for the nodes with nothing to resolve.
func (r *resolver) walk(n *node.Node, path []string) {
	switch n.Kind {
	case node.Map:
		for i := range n.Pairs {
			pr := &n.Pairs[i]
			switch c := pr.Value; r.walks(c) {
			case walkLeaf:
				r.resolveLeaf(&pr.Value, append(path, pr.Key.Str))
			case walkInto:
				r.walk(c, append(path, pr.Key.Str))
			}
		}
	case node.Seq:
		for i := range n.Items {
			switch c := n.Items[i]; r.walks(c) {
			case walkLeaf:
				r.resolveLeaf(&n.Items[i], append(path, strconv.Itoa(i)))
			case walkInto:
				r.walk(c, append(path, strconv.Itoa(i)))
			}
		}
	}
}

// What the walk does at a node.
const (
	walkPast = iota // nothing to resolve
	walkLeaf        // a string with a variable
	walkInto        // a container with children, not produced by resolution
)

func (r *resolver) walks(n *node.Node) int {
	switch {
	case n == nil:
	case n.Kind == node.String:
		if strings.IndexByte(n.Str, '$') >= 0 && hasVar(n.Str) {
			return walkLeaf
		}
	case len(n.Pairs) > 0 && n.Kind == node.Map, len(n.Items) > 0 && n.Kind == node.Seq:
		if !r.isDone(n) {
			return walkInto
		}
	}
	return walkPast
}

// isDone reports whether n is a final value produced by resolution; most
// configs produce none, which spares a map lookup per container.
func (r *resolver) isDone(n *node.Node) bool { return len(r.done) > 0 && r.done[n] }

// hasVar is strings.Contains(s, "${").
func hasVar(s string) bool { return indexVar(s) >= 0 }

// indexVar is strings.Index(s, "${"), cheaper for the short strings
// without "$" that most of a config is.
func indexVar(s string) int {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '$')
		if i < 0 {
			return -1
		}
		off += i + 1
		if off < len(s) && s[off] == '{' {
			return off - 1
		}
	}
}

// resolveLeaf resolves the string property in *slot in place and returns
// its value. A pending value comes back with a pending verr.
func (r *resolver) resolveLeaf(slot **node.Node, path []string) (*node.Node, *verr) {
	n := *slot
	if n.Kind != node.String || r.isDone(n) {
		return n, nil
	}
	if p := r.props[n]; p != nil {
		switch p.status {
		case pInProgress:
			return nil, r.cycle(p)
		case pFailed:
			return n, p.err
		}
		return n, nil
	}
	if n.Unresolved != "" {
		return n, &verr{pending: n.Unresolved}
	}
	if !hasVar(n.Str) {
		return n, nil
	}
	vars, err := r.parse(n.Str)
	if err != nil {
		e := r.syntaxError(n, path, err)
		// Marked like any value that failed to resolve, so a stage that
		// needs it reports it instead of copying "${..." into a template.
		c := *n
		c.Unresolved = n.Str
		p := &prop{status: pFailed, err: e}
		r.props[n] = p
		r.props[&c] = p
		*slot = &c
		return &c, e
	}
	if vars == nil {
		r.props[n] = &prop{status: pPlain}
		return n, nil
	}
	// Clipped: appending to it must not write over a caller's longer path
	// (lookup passes a prefix of its keys).
	p := r.newProp()
	*p = prop{status: pInProgress, path: path[:len(path):len(path)]}
	r.props[n] = p
	r.active = append(r.active, p)
	v, e := r.resolveValue(n.Str, vars, site{n: n, exact: true}, p.path, 0, false)
	r.active = r.active[:len(r.active)-1]
	p.path = nil
	if e != nil {
		c := *n
		c.Unresolved = n.Str
		if e.pending != "" {
			c.Unresolved = e.pending
			p.status = pDone
		} else {
			p.status, p.err = pFailed, e
		}
		r.props[&c] = p
		*slot = &c
		return &c, e
	}
	p.status = pDone
	if v.Kind == node.Map || v.Kind == node.Seq || hasVar(v.Str) {
		// Final values the walk or a lookup could mistake for unresolved
		// ones: containers, and strings that still read "${" (escapes).
		r.done[v] = true
	}
	*slot = v
	return v, nil
}

func (r *resolver) syntaxError(n *node.Node, path []string, err error) *verr {
	at := n.Range
	if se, ok := err.(*SyntaxError); ok {
		at = textRange(n, se.Offset, se.Offset)
	}
	e := errorf(RuleSyntax, "Variable syntax error at %q: %s", humanize(path), err.Error())
	r.report(RuleSyntax, diag.Error, at, e.msg)
	e.reported = true
	return e
}

func (r *resolver) cycle(p *prop) *verr {
	cur := r.active[len(r.active)-1]
	if cur == p {
		return errorf(RuleCycle, "Circular reference. %q refers to itself", humanize(p.path))
	}
	var chain []string
	for i := len(r.active) - 1; i >= 0; i-- {
		chain = append(chain, humanize(r.active[i].path))
		if r.active[i] == p {
			break
		}
	}
	// chain runs from the current property back to p; print it forwards.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	chain = append(chain, humanize(p.path))
	return errorf(RuleCycle, "Circular reference among %q and %q properties (%s)",
		humanize(cur.path), humanize(p.path), strings.Join(chain, " -> "))
}

// humanize is humanize-property-path-keys.js.
func humanize(path []string) string { return strings.Join(path, ".") }

// resolveValue resolves the variables of text and rebuilds its value. nest
// counts how often a resolved value was resolved again; inner selects the
// message of a param or address (resolveInternalResult) over a property's.
func (r *resolver) resolveValue(text string, vars []Var, st site, path []string, nest int, inner bool) (*node.Node, *verr) {
	vals := make([]*node.Node, len(vars))
	for i := range vars {
		v := &vars[i]
		if v.Escape {
			vals[i] = node.NewString(v.Text, st.n.Range)
			continue
		}
		val, e := r.resolveVar(text, v, st, path)
		if e != nil {
			return nil, e
		}
		vals[i] = val
	}
	if len(vars) == 1 && vars[0].Whole {
		return r.again(vals[0], nil, st, path, nest, inner)
	}
	// The pieces are kept on the stack for the usual few variables: again
	// needs them only when the joined string holds "${".
	var buf [9]string
	parts := buf[:0]
	if 2*len(vars)+1 > len(buf) {
		parts = make([]string, 0, 2*len(vars)+1)
	}
	last := 0
	for i, v := range vars {
		s, ok := coerceString(vals[i])
		if !ok {
			return nil, r.failAt(st, text, &vars[i], path, errorf(RuleUnresolved, "String value consist of variable which resolve with non-string value"))
		}
		parts = append(parts, text[last:v.Start], s)
		last = v.End
	}
	parts = append(parts, text[last:])
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	if total > maxLen {
		return nil, r.exhausted(st, text, &vars[0], path, fmt.Sprintf("variables build a string longer than %d bytes; they probably expand exponentially", maxLen))
	}
	if r.built += total; r.built > maxBuilt {
		return nil, r.exhausted(st, text, &vars[0], path, fmt.Sprintf("variables build more than %d bytes of strings in all; they probably repeat a long value", maxBuilt))
	}
	out := node.NewString(strings.Join(parts, ""), st.n.Range)
	if !hasVar(out.Str) {
		return out, nil // what again would return, without parts escaping
	}
	return r.again(out, slices.Clone(parts), st, path, nest, inner)
}

// again resolves variables that a resolved value holds (a string read from
// a file, an environment variable, a property...), as Serverless re-parses
// every resolved value. parts are the pieces a rebuilt string was joined
// from: each is parsed alone, so joining cannot create a variable.
func (r *resolver) again(v *node.Node, parts []string, st site, path []string, nest int, inner bool) (*node.Node, *verr) {
	if v == nil || v.Unresolved != "" {
		return v, nil
	}
	switch v.Kind {
	case node.String:
		if !hasVar(v.Str) {
			return v, nil
		}
		vars, err := reparse(v.Str, parts)
		if err != nil {
			e := errorf(RuleSyntax, "Approached variable syntax error in resolved value %q: %s", v.Str, err.Error())
			return nil, r.failAt(site{n: st.n}, v.Str, nil, path, e)
		}
		if vars == nil {
			return v, nil
		}
		if e := r.nestCheck(st, path, nest, inner); e != nil {
			return nil, e
		}
		return r.resolveValue(v.Str, vars, site{n: st.n}, path, nest+1, inner)
	case node.Map, node.Seq:
		if e := r.finish(v, st, path[:len(path):len(path)], nest+1, inner); e != nil {
			return nil, e
		}
	}
	return v, nil
}

func (r *resolver) nestCheck(st site, path []string, nest int, inner bool) *verr {
	if nest+1 <= maxNest {
		return nil
	}
	msg := "Excessive property variables nest depth"
	if inner {
		msg = "Excessive variables nest depth"
	}
	return r.failAt(site{n: st.n}, "", nil, path, errorf(RuleCycle, "%s", msg))
}

// reparse is resolveSourceValuesVariables: each part is parsed on its own
// and the offsets shifted into the joined string.
func reparse(s string, parts []string) ([]Var, error) {
	if parts == nil {
		return Parse(s)
	}
	var out []Var
	base := 0
	for _, p := range parts {
		vars, err := Parse(p)
		if err != nil {
			return nil, err
		}
		for _, v := range vars {
			if v.Whole {
				v.Start, v.End = 0, len(p)
			}
			v.Whole = false
			v.Start += base
			v.End += base
			shiftMetas(v.Sources, base)
			out = append(out, v)
		}
		base += len(p)
	}
	if len(out) == 1 && out[0].Start == 0 && out[0].End == len(s) {
		out[0].Whole = true
	}
	return out, nil
}

func shiftMetas(srcs []*Source, by int) {
	for _, s := range srcs {
		for _, m := range s.Params {
			shiftMeta(m, by)
		}
		if s.Address != nil {
			shiftMeta(s.Address, by)
		}
	}
}

func shiftMeta(m *Meta, by int) {
	m.Start += by
	for i := range m.Vars {
		m.Vars[i].Start += by
		m.Vars[i].End += by
		shiftMetas(m.Vars[i].Sources, by)
	}
}

// finish resolves the variables inside a container value that a variable
// produced (a file's content, another property), in place. path grows as a
// stack: the caller gives one it may append to.
func (r *resolver) finish(n *node.Node, st site, path []string, nest int, inner bool) *verr {
	if nest > maxNest {
		return r.nestCheck(st, path, nest-1, inner)
	}
	var slots []**node.Node
	var keys []string
	switch n.Kind {
	case node.Map:
		for i := range n.Pairs {
			slots, keys = append(slots, &n.Pairs[i].Value), append(keys, n.Pairs[i].Key.Str)
		}
	case node.Seq:
		for i := range n.Items {
			slots, keys = append(slots, &n.Items[i]), append(keys, strconv.Itoa(i))
		}
	}
	for i, slot := range slots {
		c := *slot
		if c == nil || c.Unresolved != "" {
			continue
		}
		sub := append(path, keys[i])
		switch c.Kind {
		case node.Map, node.Seq:
			if e := r.finish(c, st, sub, nest, inner); e != nil {
				return e
			}
		case node.String:
			if !hasVar(c.Str) {
				continue
			}
			v, e := r.finishString(c, sub, nest, inner)
			if e != nil && e.pending == "" {
				return e
			}
			*slot = v
		}
	}
	return nil
}

func (r *resolver) finishString(c *node.Node, path []string, nest int, inner bool) (*node.Node, *verr) {
	vars, err := r.parse(c.Str)
	if err != nil {
		e := errorf(RuleSyntax, "Approached variable syntax error in resolved value %q: %s", c.Str, err.Error())
		return c, r.failAt(site{n: c}, c.Str, nil, path, e)
	}
	if vars == nil {
		return c, nil
	}
	v, e := r.resolveValue(c.Str, vars, site{n: c, exact: true}, path, nest, inner)
	if e != nil {
		u := *c
		u.Unresolved = c.Str
		if e.pending != "" {
			u.Unresolved = e.pending
		}
		return &u, e
	}
	return v, nil
}

// failAt reports e at variable v of text (or at the site when v is nil),
// prefixed as Serverless prefixes resolution errors, unless it was
// reported already.
func (r *resolver) failAt(st site, text string, v *Var, path []string, e *verr) *verr {
	if e.reported || e.pending != "" {
		return e
	}
	at := st.n.Range
	if v != nil {
		at = st.rangeAt(v.Start, v.End)
	}
	if !e.bare {
		e.msg = fmt.Sprintf("Cannot resolve variable at %q: %s", humanize(path), e.msg)
	}
	sev := diag.Error
	r.report(e.rule, sev, at, e.msg)
	e.reported = true
	return e
}

// coerceString is type/string/coerce as resolve.js uses it to embed a
// value in a string: scalars and arrays convert, null and objects do not.
func coerceString(n *node.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case node.Null, node.Map:
		return "", false
	}
	return n.JSString(), true
}

type parsed struct {
	vars []Var
	err  error
}

// newProp returns a zero prop from a block: a config has a prop per string
// with variables, and one allocation each was a third of resolution's.
func (r *resolver) newProp() *prop {
	if len(r.propBlock) == 0 {
		r.propBlock = make([]prop, 128)
	}
	p := &r.propBlock[0]
	r.propBlock = r.propBlock[1:]
	return p
}

// parse is Parse memoized per string (per variable for the simple ones):
// configs repeat the same variables many times, and resolution never
// modifies parse results.
func (r *resolver) parse(s string) ([]Var, error) {
	// Strings of simple variables are mostly distinct (an ARN per
	// function): their own parse is cheaper than a memo entry.
	if vars, ok := r.simple.parse(s); ok {
		return vars, nil
	}
	if p, ok := r.parsed[s]; ok {
		return p.vars, p.err
	}
	vars, err := Parse(s)
	r.parsed[s] = parsed{vars, err}
	return vars, err
}
