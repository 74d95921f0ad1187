package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/node"
)

// event is one `- stream:` entry of a function's events list.
type event struct {
	fn      string     // the function's key in `functions`
	fnNode  *node.Node // the function's definition
	item    *node.Node // the events list item, {stream: ...}
	key     *node.Node // the `stream` key, where findings about the whole event point
	value   *node.Node // the value of `stream:`
	obj     *node.Node // value when it is an object, else nil
	arn     *node.Node // the ARN: the string form's value, or obj.arn
	typ     string     // "dynamodb", "kinesis", another ARN service, or "" when unknown
	typNode *node.Node // where typ came from: obj.type or the ARN
	// name is the stream name Serverless derives for logical IDs and
	// consumer names; hasName is false when it cannot be known offline.
	name    string
	hasName bool
	// src and pats cache source() and patterns(), which several rules read.
	src            string
	srcOK, srcDone bool
	pats           []*node.Node
	patsOK         bool
}

// get returns the property k of an object-form event, or nil.
func (e *event) get(k string) *node.Node { return e.obj.Get(k) }

// pair returns the property k's pair, or nil.
func (e *event) pair(k string) *node.Pair { return e.obj.GetPair(k) }

// consumer returns the consumer value as Serverless sees it after schema
// coercion, or nil when the event has no truthy consumer.
func (e *event) consumer() *node.Node {
	c := e.get("consumer")
	if c == nil {
		return nil
	}
	// ajv coerces `false` to "false" while trying the ARN-string branch, so
	// Serverless treats consumer: false as set (a consumer ARN "false").
	if c.Kind == node.Bool && !c.Bool {
		return c
	}
	if !c.Truthy() {
		return nil
	}
	return c
}

// collect walks `functions` once and gathers every stream event.
func collect(root *node.Node, o Options) *pass {
	p := &pass{root: root, opts: o}
	p.service, p.stage = o.Service, o.Stage
	if p.service == "" {
		if s := root.Get("service"); s.IsString() && !opaque(s) {
			p.service = s.Str
		}
	}
	if p.stage == "" {
		p.stage = "dev"
		if s := root.Path("provider", "stage"); s.IsString() && !opaque(s) && s.Str != "" {
			p.stage = s.Str
		}
	}
	fns := root.Get("functions")
	if !fns.IsMap() || opaque(fns) {
		return p
	}
	for _, f := range fns.Pairs {
		events := f.Value.Get("events")
		if !events.IsSeq() || opaque(events) || opaque(f.Value) {
			continue
		}
		for _, item := range events.Items {
			if e := p.newEvent(f.Key.Str, f.Value, item); e != nil {
				p.events = append(p.events, e)
			}
		}
	}
	return p
}

// newEvent reads one events item, or returns nil when it is not a stream
// event whose value can be known offline.
func (p *pass) newEvent(fn string, fnNode, item *node.Node) *event {
	pr := item.GetPair("stream")
	if pr == nil || opaque(item) || opaque(pr.Value) {
		return nil
	}
	// Events come from a block: one allocation each was most of collect's.
	if len(p.eventBlock) == 0 {
		p.eventBlock = make([]event, 64)
	}
	e := &p.eventBlock[0]
	p.eventBlock = p.eventBlock[1:]
	*e = event{fn: fn, fnNode: fnNode, item: item, key: pr.Key, value: pr.Value}
	switch {
	case pr.Value.IsMap():
		if _, ok := intrinsicKey(pr.Value); ok {
			// `stream: !GetAtt X.Arn`: reported by the schema; not an object form.
			return e
		}
		e.obj = withoutNulls(pr.Value)
		e.arn = e.obj.Get("arn")
	case pr.Value.IsString():
		e.arn = pr.Value
	}
	e.typ, e.typNode = streamType(e)
	e.name, e.hasName = streamName(e.arn)
	return e
}

// streamType mirrors `event.stream.type || EventSourceArn.split(':')[2]`.
func streamType(e *event) (string, *node.Node) {
	if t := e.get("type"); t != nil {
		if t.IsString() && !opaque(t) && t.Str != "" {
			return t.Str, t
		}
		if opaque(t) {
			return "", nil
		}
	}
	if e.arn.IsString() && !opaque(e.arn) {
		if svc, ok := arnField(e.arn.Str, 2); ok {
			return svc, e.arn
		}
	}
	return "", nil
}

// arnField is strings.Split(s, ":")[i] without the slice, and false when s
// has no such field.
func arnField(s string, i int) (string, bool) {
	for ; i > 0; i-- {
		c := strings.IndexByte(s, ':')
		if c < 0 {
			return "", false
		}
		s = s[c+1:]
	}
	if c := strings.IndexByte(s, ':'); c >= 0 {
		s = s[:c]
	}
	return s, true
}

// streamName mirrors the stream-name function of Serverless's stream.js:
// the GetAtt logical ID, the ImportValue or Ref name, the last path segment
// of a Join's last element, or the second "/"-separated part of an ARN.
func streamName(arn *node.Node) (string, bool) {
	if arn == nil || anyOpaque(arn) {
		return "", false
	}
	return compile.StreamName(arn)
}

// anyOpaque reports an opaque value anywhere in n.
func anyOpaque(n *node.Node) bool {
	if opaque(n) {
		return true
	}
	for _, it := range n.Items {
		if anyOpaque(it) {
			return true
		}
	}
	for _, p := range n.Pairs {
		if anyOpaque(p.Value) {
			return true
		}
	}
	return false
}

// opaque reports whether n's content cannot be known offline: a variable
// the resolver could not resolve, or a string still holding "${" (a config
// parsed without resolving its variables, as the corpus test does).
func opaque(n *node.Node) bool {
	if n == nil {
		return false
	}
	return n.Unresolved != "" || n.Kind == node.String && hasVar(n.Str)
}

// hasVar is strings.Contains(s, "${"), cheaper for the short strings
// without "$" that most values are: opaque reads every value.
func hasVar(s string) bool {
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			return false
		}
		if i+1 < len(s) && s[i+1] == '{' {
			return true
		}
		s = s[i+1:]
	}
}

// deepOpaque reports whether any value inside n is opaque.
func deepOpaque(n *node.Node) bool {
	if n == nil {
		return false
	}
	if opaque(n) {
		return true
	}
	for _, it := range n.Items {
		if deepOpaque(it) {
			return true
		}
	}
	for _, pr := range n.Pairs {
		if opaque(pr.Key) || deepOpaque(pr.Value) {
			return true
		}
	}
	return false
}

// source returns a key identifying the event's source: the ARN string, or
// the intrinsic's JSON, which is the same for !GetAtt X.Arn and its long
// form.
func (e *event) source() (string, bool) {
	if !e.srcDone {
		e.src, e.srcOK = e.computeSource()
		e.srcOK = e.srcOK && e.src != "\x00" // as when "\x00" marked no source
		e.srcDone = true
	}
	return e.src, e.srcOK
}

func (e *event) computeSource() (string, bool) {
	if e.arn == nil || deepOpaque(e.arn) || !(e.arn.IsString() || e.arn.IsMap()) {
		return "", false
	}
	if e.arn.IsString() {
		return e.arn.Str, true
	}
	return e.arn.Stringify(), true
}

// strProp returns a known string property.
func (e *event) strProp(k string) (string, bool) { return str(e.get(k)) }

// startingPosition returns the event's startingPosition and whether it was
// given; Serverless defaults it to TRIM_HORIZON.
func (e *event) startingPosition() (string, bool) {
	s, ok := e.strProp("startingPosition")
	if !ok {
		return "TRIM_HORIZON", false
	}
	return s, true
}

// line returns the line of the event's stream key, for messages.
func (e *event) line() int { return e.key.Range.Start.Line }

// withoutNulls drops the null-valued properties of a stream event: Serverless
// deletes them before validating (and restores them after), so its schema
// never sees them, and they compile to nothing.
func withoutNulls(obj *node.Node) *node.Node {
	for _, p := range obj.Pairs {
		if p.Value.IsNull() {
			c := *obj
			c.Pairs = nil
			for _, q := range obj.Pairs {
				if !q.Value.IsNull() {
					c.Pairs = append(c.Pairs, q)
				}
			}
			return &c
		}
	}
	return obj
}
