package compile

import (
	"fmt"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Mapping is one compiled stream event: everything both output modes need.
type Mapping struct {
	Event      *Event
	LogicalID  string
	StreamType string // "dynamodb", "kinesis", or whatever `type` says
	// typeIsString is false when type is not a string (type: [kinesis]):
	// it still names the logical ID, but never equals "kinesis" or
	// "dynamodb" in Serverless's === comparisons.
	typeIsString bool
	// mayHaveNull is set when the event holds a null, which may reach
	// Properties (see scan). It fits in the padding after typeIsString.
	mayHaveNull bool
	StreamName  string
	// Properties in Serverless's key order, with serverless mode's
	// FunctionName (the template's mapping shares them; standalone mode
	// replaces it). A nil value is JavaScript's undefined: it holds the
	// key's place (ParallelizationFactor) without being written.
	Properties *node.Node
	// StreamARN is the source as written (arn), before a consumer replaces
	// EventSourceArn.
	StreamARN *node.Node
	// Consumer is set for consumer: true on a kinesis stream.
	Consumer *Consumer
	// ConsumerARN is set when consumer is an ARN or intrinsic (not true).
	ConsumerARN *node.Node
	// ConsumerStatement reports whether the kinesis-with-consumer statement
	// receives StreamARN (any truthy consumer on a non-dynamodb stream).
	ConsumerStatement bool
	Destination       *node.Node // onFailure ARN, if any
	DestinationType   string     // "sns" or anything else (sqs statement)

	arena       *node.Arena // where compilation builds the mapping's nodes
	consumerRef *node.Node  // {Ref: Consumer.LogicalID}, shared with the stream statement
}

// Consumer is an AWS::Kinesis::StreamConsumer to create.
type Consumer struct {
	Name      string
	LogicalID string
}

// TypeIs reports streamType === t in Serverless's JavaScript.
func (m *Mapping) TypeIs(t string) bool { return m.typeIsString && m.StreamType == t }

// compileEvent reproduces the per-event body of Serverless's
// compileStreamEvents, into m. Where Serverless would crash with a TypeError, it
// returns a positioned finding instead.
func compileEvent(svc *Service, e *Event, m *Mapping, a *node.Arena) (*Mapping, *diag.Finding) {
	*m = Mapping{Event: e, arena: a}
	arn := e.ARN
	if arn.IsNull() {
		return nil, fail(e.Node, "stream event of function %q has no arn; Serverless v3 crashes on it (TypeError)", e.Function.Name)
	}
	m.StreamARN = arn
	if e.Type != nil && e.Type.Truthy() {
		m.StreamType = e.Type.JSString()
		m.typeIsString = e.Type.Kind == node.String
	} else if arn.IsString() {
		m.StreamType = arnPart(arn.Str, ':', 2)
		m.typeIsString = true
	} else if arn.IsMap() {
		return nil, fail(arn, "an intrinsic arn (%s) needs `type: dynamodb` or `type: kinesis`; Serverless v3 crashes without it (EventSourceArn.split is not a function)", intrinsicName(arn))
	} else {
		return nil, fail(arn, "the stream arn must be a string ARN or an intrinsic function, not %s; Serverless v3 crashes on it (EventSourceArn.split is not a function)", arn.Describe())
	}
	if u := m.scan(); u != nil {
		return nil, fail(u, "this stream event needs the value of %s, which could not be resolved; %s", u.Unresolved, resolveAdvice(u.Unresolved))
	}
	name, f := streamName(arn)
	if f != nil {
		return nil, f
	}
	m.StreamName = name
	m.LogicalID = streamLogicalID(e.Function.normalized(), m.StreamType, name)
	m.Properties = baseProperties(a, e)
	if f := m.addOptions(); f != nil {
		return nil, f
	}
	if f := m.addConsumer(svc); f != nil {
		return nil, f
	}
	return m, nil
}

// resolveAdvice says how to get a variable's value: credentials help only
// the sources that need AWS.
func resolveAdvice(variable string) string {
	for _, src := range []string{"${ssm:", "${cf:", "${cf(", "${s3:", "${aws:accountId"} {
		if strings.Contains(variable, src) {
			return "run with AWS credentials, or give it a fallback (used offline)"
		}
	}
	return "give it a value or a fallback"
}

// scan returns firstUnresolved of the event and sets m.mayHaveNull. Every
// value compilation takes from the event is a node under e.Node or a
// scalar coerced from one (in e.Opt or e.ARN), so an event with neither a
// null under its node nor a null option compiles to properties without
// nulls: one walk that checking for unresolved variables makes anyway
// spares stripNulls its walk of every resource.
func (m *Mapping) scan() *node.Node {
	e := m.Event
	if u := scanValue(e.Node, &m.mayHaveNull); u != nil {
		return u
	}
	if e.ARN.IsNull() {
		m.mayHaveNull = true
	}
	for _, p := range e.Opt {
		if p.Value != nil && p.Value.Kind == node.Null {
			m.mayHaveNull = true
		}
	}
	return nil
}

// scanValue is firstUnresolved that also sets *nulls when it meets a null.
func scanValue(n *node.Node, nulls *bool) *node.Node {
	if n == nil {
		return nil
	}
	if n.Unresolved != "" {
		return n
	}
	if n.Kind == node.Null {
		*nulls = true
	}
	for _, it := range n.Items {
		if u := scanValue(it, nulls); u != nil {
			return u
		}
	}
	for _, p := range n.Pairs {
		if u := scanValue(p.Value, nulls); u != nil {
			return u
		}
	}
	return nil
}

// firstUnresolved finds a value inside n that stands for an unresolved
// variable: compiling it would put the variable's text into the template.
func firstUnresolved(n *node.Node) *node.Node {
	if n == nil {
		return nil
	}
	if n.Unresolved != "" {
		return n
	}
	for _, it := range n.Items {
		if u := firstUnresolved(it); u != nil {
			return u
		}
	}
	for _, p := range n.Pairs {
		if u := firstUnresolved(p.Value); u != nil {
			return u
		}
	}
	return nil
}

func fail(n *node.Node, format string, args ...any) *diag.Finding {
	f := finding(n, fmt.Sprintf(format, args...))
	return &f
}

// arnPart is String.prototype.split(sep)[i], "" where JavaScript gives undefined.
func arnPart(s string, sep byte, i int) string {
	// strings.Split(s, sep)[i] without the slice of every part.
	for ; i > 0; i-- {
		j := strings.IndexByte(s, sep)
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	if j := strings.IndexByte(s, sep); j >= 0 {
		return s[:j]
	}
	return s
}

func intrinsicName(n *node.Node) string {
	if n.IsMap() && len(n.Pairs) > 0 {
		return n.Pairs[0].Key.Str
	}
	return n.Kind.String()
}

// StreamName is the stream name Serverless derives from an event's arn (the
// name in its logical ID and consumer name), and false where Serverless
// would crash instead.
func StreamName(arn *node.Node) (string, bool) {
	if arn == nil {
		return "", false
	}
	name, fail := streamName(arn)
	return name, fail == nil
}

// streamName mirrors the stream-name IIFE of stream.js.
func streamName(arn *node.Node) (string, *diag.Finding) {
	if arn.IsMap() {
		if v := arn.Get("Fn::GetAtt"); v.Truthy() {
			if v.IsSeq() && len(v.Items) > 0 && v.Items[0].Kind != node.Map && v.Items[0].Kind != node.Seq {
				return v.Items[0].JSString(), nil
			}
			return "", fail(v, "Fn::GetAtt must be a list [LogicalId, Attribute] whose first item is a string")
		}
		if v := arn.Get("Fn::ImportValue"); v.Truthy() {
			return scalarName(v, "Fn::ImportValue")
		}
		if v := arn.Get("Ref"); v.Truthy() {
			return scalarName(v, "Ref")
		}
		if v := arn.Get("Fn::Join"); v.Truthy() {
			return joinName(v)
		}
		return "", fail(arn, "Serverless v3 reads a stream name only from a string ARN, Fn::GetAtt, Fn::ImportValue, Ref or Fn::Join, not %s (it crashes: EventSourceArn.split is not a function)", intrinsicName(arn))
	}
	if arn.Kind != node.String {
		return "", fail(arn, "the stream arn must be a string ARN or an intrinsic function, not %s", arn.Describe())
	}
	_, rest, ok := strings.Cut(arn.Str, "/")
	if !ok {
		return "", fail(arn, "%q is not a stream ARN: Serverless v3 takes the stream name after the first \"/\" and crashes without one", arn.Str)
	}
	name, _, _ := strings.Cut(rest, "/") // split("/")[1]
	return name, nil
}

func scalarName(v *node.Node, fn string) (string, *diag.Finding) {
	if v.Kind == node.Map || v.Kind == node.Seq {
		return "", fail(v, "%s of %s cannot name the stream: Serverless v3 needs a string here and crashes (name.replace is not a function); use a literal name or give the ARN another way", fn, v.Kind)
	}
	return v.JSString(), nil
}

func joinName(v *node.Node) (string, *diag.Finding) {
	if !v.IsSeq() || len(v.Items) < 2 || !v.Items[1].IsSeq() || len(v.Items[1].Items) == 0 {
		return "", fail(v, "Fn::Join must be [delimiter, [values...]] with at least one value")
	}
	last := v.Items[1].Items[len(v.Items[1].Items)-1]
	if last.Kind != node.String {
		return "", fail(last, "the last element of Fn::Join must be a string holding the stream name (Serverless v3 crashes on %s: name.split is not a function)", last.Describe())
	}
	parts := strings.Split(last.Str, "/")
	return parts[len(parts)-1], nil
}

// Serverless's defaults, shared by every mapping that uses them (template
// nodes are never modified once built).
var (
	defaultBatchSize = node.NewNumber(10, diag.Range{})
	defaultEnabled   = node.NewBool(true, diag.Range{})
	defaultStart     = node.NewString("TRIM_HORIZON", diag.Range{})
	esmType          = node.NewString("AWS::Lambda::EventSourceMapping", diag.Range{})
)

// baseProperties builds BatchSize..StartingPosition with Serverless's
// defaults and falsy handling. FunctionName is serverless mode's (the
// function's ARN), which standalone mode replaces.
func baseProperties(a *node.Arena, e *Event) *node.Node {
	r := e.Node.Range
	// Each option sets at most one property.
	props := a.MapCap(r, 6+len(e.Opt))
	batch, enabled, start := defaultBatchSize, defaultEnabled, defaultStart
	var parallel *node.Node
	if e.Object {
		if b := e.get(optBatchSize); b.Truthy() {
			batch = b
		}
		if p := e.get(optParallel); p.Truthy() {
			parallel = p
		}
		if s := e.get(optStartingPosition); s.Truthy() {
			start = s
		}
		if e.has(optEnabled) {
			enabled = e.get(optEnabled)
		}
	}
	props.Pairs = append(props.Pairs, node.Pair{Key: kBatchSize, Value: batch}, node.Pair{Key: kEnabled, Value: enabled},
		node.Pair{Key: kEventSourceArn, Value: e.ARN}, node.Pair{Key: kFunctionName, Value: e.Function.lambdaTarget(a)},
		node.Pair{Key: kParallel, Value: parallel}, node.Pair{Key: kStartingPosition, Value: start})
	return props
}

// addOptions adds the optional properties in Serverless's order.
func (m *Mapping) addOptions() *diag.Finding {
	e, p := m.Event, m.Properties
	if !e.Object {
		return nil
	}
	setIfNotNull := func(opt int, prop *node.Node) {
		if v := e.get(opt); !v.IsNull() {
			set(p, prop, v)
		}
	}
	setIfNotNull(optBatchWindow, kBatchWindow)
	setIfNotNull(optRetryAttempts, kRetryAttempts)
	setIfNotNull(optBisect, kBisect)
	if v := e.get(optResponseType); !v.IsNull() {
		set(p, kResponseTypes, m.arena.Seq(v.Range, v))
	}
	if v := e.get(optRecordAge); v.Truthy() {
		set(p, kRecordAge, v)
	}
	setIfNotNull(optTumblingWindow, kTumblingWindow)
	if d := e.get(optDestinations); d.Truthy() {
		if f := m.addDestination(d); f != nil {
			return f
		}
	}
	if fp := e.get(optFilterPatterns); fp.Truthy() {
		return m.addFilters(fp)
	}
	return nil
}

func (m *Mapping) addDestination(d *node.Node) *diag.Finding {
	onFailure := d.Get("onFailure")
	if onFailure == nil || onFailure.Kind == node.Null && d.GetPair("onFailure") == nil {
		return fail(d, "destinations needs onFailure; Serverless v3 crashes without it (TypeError)")
	}
	arn := onFailure
	if onFailure.Kind == node.Map || onFailure.Kind == node.Seq || onFailure.Kind == node.Null {
		arn = onFailure.Get("arn")
		if arn == nil {
			return fail(onFailure, "onFailure must be an ARN string or {arn, type}; Serverless v3 crashes on this form (TypeError)")
		}
	} else {
		arn = coerceString(arn)
	}
	typ := onFailure.Get("type")
	switch {
	case typ.Truthy():
		m.DestinationType = typ.JSString()
	case arn.Kind == node.String:
		m.DestinationType = arnPart(arn.Str, ':', 2)
	default:
		return fail(arn, "an intrinsic onFailure arn (%s) needs `type: sns` or `type: sqs`; Serverless v3 crashes without it (OnFailureDestinationArn.split is not a function)", intrinsicName(arn))
	}
	m.Destination = arn
	r := d.Range
	of := m.arena.Map(r, node.Pair{Key: kDestination, Value: arn})
	set(m.Properties, kDestinationConfig, m.arena.Map(r, node.Pair{Key: kOnFailure, Value: of}))
	return nil
}

func (m *Mapping) addFilters(fp *node.Node) *diag.Finding {
	if fp.Kind != node.Seq {
		if fp.Kind == node.Map {
			return fail(fp, "filterPatterns must be a list of patterns; Serverless v3 crashes on a mapping (filterPatterns.map is not a function)")
		}
		fp = node.NewSeq(fp.Range, fp) // ajv's array coercion
	}
	a := m.arena
	filters := a.SeqCap(fp.Range, len(fp.Items))
	for _, pat := range fp.Items {
		r := pat.Range
		if m.mayHaveNull { // else pat has none to move (see scan)
			pat = nullsLast(pat)
		}
		filters.Items = append(filters.Items, a.Map(r, node.Pair{Key: kPattern, Value: a.String(pat.Stringify(), r)}))
	}
	set(m.Properties, kFilterCrit, a.Map(fp.Range, node.Pair{Key: kFilters, Value: filters}))
	return nil
}

// addConsumer handles consumer and the timestamp, which Serverless only
// looks at for kinesis streams with a consumer.
func (m *Mapping) addConsumer(svc *Service) *diag.Finding {
	e := m.Event
	consumer := e.get(optConsumer)
	if !consumer.Truthy() {
		return nil
	}
	if !m.TypeIs("dynamodb") {
		m.ConsumerStatement = true
	}
	if !m.TypeIs("kinesis") {
		return nil
	}
	if consumer.Kind == node.Bool && consumer.Bool {
		m.Consumer = newConsumer(e.Function.Name, m.StreamName, svc.Name, svc.Stage, svc.NamingMode)
		m.consumerRef = refNode(m.arena, m.Consumer.LogicalID, consumer.Range)
		set(m.Properties, kEventSourceArn, m.consumerRef)
	} else {
		m.ConsumerARN = consumer
		set(m.Properties, kEventSourceArn, consumer)
	}
	ts := e.get(optTimestamp)
	if sp := e.get(optStartingPosition); sp.IsString() && sp.Str == "AT_TIMESTAMP" && !ts.Truthy() {
		return fail(sp, "You must specify startingPositionTimestamp for function: %s when startingPosition is AT_TIMESTAMP", e.Function.Name)
	}
	if ts.Truthy() {
		set(m.Properties, kTimestamp, ts)
	}
	return nil
}

// refNode and getAttNode build intrinsics; a may be nil.
func refNode(a *node.Arena, logicalID string, r diag.Range) *node.Node {
	return a.Map(r, node.Pair{Key: kRef, Value: a.String(logicalID, r)})
}

func getAttNode(a *node.Arena, logicalID, attr string, r diag.Range) *node.Node {
	return a.Map(r, node.Pair{Key: kGetAtt, Value: a.Seq(r, a.String(logicalID, r), a.String(attr, r))})
}
