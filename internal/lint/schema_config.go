package lint

import (
	"strconv"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/suggest"
)

var (
	roleNamePattern = lazyre.New(`^[A-Za-z0-9/_+=,.@-]{1,64}$`)
	rolePathPattern = lazyre.New(`(^/$)|(^/[\x21-\x7f]+/$)`)
)

// schemaFunctions checks the functions map and each events list; the stream
// events themselves are checked by schemaStream.
func (p *pass) schemaFunctions(fns *node.Node) {
	if fns.IsNull() || opaque(fns) {
		return
	}
	if !fns.IsMap() {
		p.report(&ruleSchemaType, fns, "functions must be an object mapping function names to definitions, found %s", describe(fns))
		return
	}
	for _, f := range fns.Pairs {
		if !functionName(f.Key.Str) {
			p.report(&ruleSchemaPattern, f.Key, "function name %q may only contain letters, digits, \"-\" and \"_\"", f.Key.Str)
		}
		p.schemaFunction(f.Value)
	}
}

// functionName is lib/config-schema.js's functionNamePattern,
// /^[a-zA-Z0-9-_]+$/, without a regular expression: it runs on every
// function of the service.
func functionName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

func (p *pass) schemaFunction(fn *node.Node) {
	if opaque(fn) {
		return
	}
	if !fn.IsMap() {
		p.report(&ruleSchemaType, fn, "a function must be an object with handler and events, found %s", describe(fn))
		return
	}
	if r := fn.Get("role"); r != nil {
		p.schemaLambdaRole("role", r)
	}
	ev := fn.Get("events")
	if ev.IsNull() || opaque(ev) {
		return
	}
	if !ev.IsSeq() {
		p.report(&ruleSchemaType, ev, "events must be a list such as [{stream: <arn>}], found %s", describe(ev))
		return
	}
	for _, it := range ev.Items {
		p.schemaEventItem(it)
	}
}

// schemaEventItem checks that an events item is an object, and that a
// stream item holds nothing but `stream` (each event schema is
// additionalProperties: false). Extra keys there are nearly always stream
// properties indented one level too little.
func (p *pass) schemaEventItem(it *node.Node) {
	if opaque(it) {
		return
	}
	if !it.IsMap() {
		p.report(&ruleSchemaType, it, "an event must be an object such as {stream: <arn>}, found %s", describe(it))
		return
	}
	if it.Get("stream") == nil {
		p.schemaMisspelledStream(it)
		return
	}
	for _, pr := range it.Pairs {
		if pr.Key.Str == "stream" {
			continue
		}
		if streamProp(pr.Key.Str) >= 0 {
			p.report(&ruleSchemaUnknownKey, pr.Key, "%q is a sibling of stream in this event; indent it under stream: to make it a stream property", pr.Key.Str)
			continue
		}
		p.report(&ruleSchemaUnknownKey, pr.Key, "an event holds exactly one event type, but %q sits next to stream; move it to its own list item", pr.Key.Str)
	}
}

// schemaMisspelledStream reports an event whose type is a misspelling of
// stream (steam, streams, Stream): Serverless warns "unsupported function
// event" and compiles nothing for it, so the function silently never reads
// the stream. Only near misses are reported: plugins define other event
// types, and none is this close to stream.
func (p *pass) schemaMisspelledStream(it *node.Node) {
	if len(it.Pairs) != 1 {
		return
	}
	k := it.Pairs[0].Key
	if suggest.Closest(k.Str, []string{"stream"}, 2) == "" {
		return
	}
	p.report(&ruleSchemaUnknownKey, k, "unknown event type %q; Serverless warns \"unsupported function event\" and ignores it, so no mapping is created (did you mean \"stream\"?)", k.Str)
}

// schemaProvider checks provider.stage and .region, provider.kinesis,
// provider.iam.role and the legacy provider.role.
func (p *pass) schemaProvider(pv *node.Node) {
	if !pv.IsMap() || opaque(pv) {
		return
	}
	// Serverless checks provider.stage with a pattern and provider.region
	// with a list of regions; the region is checked by its form here, so
	// that a region newer than Serverless 3.40.0 is not an error.
	if s, ok := str(pv.Get("stage")); ok {
		if err := compile.CheckStage(s); err != nil {
			p.report(&ruleSchemaPattern, pv.Get("stage"), "provider.stage %v", err)
		}
	}
	if s, ok := str(pv.Get("region")); ok {
		if err := compile.CheckRegion(s); err != nil {
			p.report(&ruleSchemaPattern, pv.Get("region"), "provider.region %v", err)
		}
	}
	if k := pv.Get("kinesis"); k != nil && !opaque(k) {
		p.schemaKinesis(k)
	}
	if r := pv.Get("role"); r != nil {
		p.schemaLambdaRole("provider.role", r)
	}
	iam := pv.Get("iam")
	if iam == nil || opaque(iam) {
		return
	}
	if !iam.IsMap() {
		p.report(&ruleSchemaType, iam, "provider.iam must be an object, found %s", describe(iam))
		return
	}
	if r := iam.Get("role"); r != nil {
		p.schemaIamRole(r)
	}
}

func (p *pass) schemaKinesis(k *node.Node) {
	if !k.IsMap() {
		p.report(&ruleSchemaType, k, "provider.kinesis must be an object with consumerNamingMode, found %s", describe(k))
		return
	}
	for _, pr := range k.Pairs {
		if pr.Key.Str != "consumerNamingMode" {
			p.unknownKey(pr.Key, "provider.kinesis property", []string{"consumerNamingMode"})
			continue
		}
		v := pr.Value
		if s, ok := str(v); !opaque(v) && (!ok || s != "serviceSpecific") {
			found := describe(v)
			if ok {
				found = strconv.Quote(s)
			}
			p.report(&ruleSchemaEnum, v, "consumerNamingMode %s is not allowed; the only value is \"serviceSpecific\" (Serverless v3 names consumers with service and stage for any non-empty value)", found)
		}
	}
}

// schemaLambdaRole checks awsLambdaRole: a non-empty string, Fn::Sub,
// Fn::ImportValue or Fn::GetAtt. Ref is not among them.
func (p *pass) schemaLambdaRole(name string, r *node.Node) {
	if opaque(r) || r.Kind == node.Null {
		return // nulls (${env:X, null}: no role) skip Serverless's validation
	}
	if s, ok := asString(r); ok && !r.IsSeq() {
		if s == "" {
			p.report(&ruleSchemaType, r, "%s must be a role name, ARN or intrinsic, found an empty value", name)
		}
		return
	}
	if !r.IsMap() {
		p.report(&ruleSchemaType, r, "%s must be a role name, ARN, Fn::GetAtt, Fn::Sub or Fn::ImportValue, found %s", name, describe(r))
		return
	}
	k, _ := intrinsicKey(r)
	switch k {
	case "Fn::Sub", "Fn::ImportValue":
	case "Fn::GetAtt":
		p.schemaGetAtt(name, r)
	case "Ref":
		p.report(&ruleSchemaType, r, "%s cannot be a Ref; Serverless accepts a role name, ARN, Fn::GetAtt, Fn::Sub or Fn::ImportValue: use !GetAtt %s.Arn", name, r.Get("Ref").JSString())
	default:
		p.report(&ruleSchemaType, r, "%s must be a role name, ARN, Fn::GetAtt, Fn::Sub or Fn::ImportValue, found %s", name, describe(r))
	}
}

// schemaGetAtt checks awsCfGetAtt: two non-empty strings.
func (p *pass) schemaGetAtt(name string, r *node.Node) {
	v := r.Get("Fn::GetAtt")
	if opaque(v) {
		return
	}
	ok := v.IsSeq() && len(v.Items) == 2
	for _, it := range v.Items {
		s, isStr := str(it)
		ok = ok && (isStr && s != "" || opaque(it))
	}
	if !ok {
		p.report(&ruleSchemaType, r, "%s Fn::GetAtt must be a list of two names, [LogicalId, Attribute], found %s", name, shortJSON(v))
	}
}

var iamRoleProps = []prop{
	{name: "name"}, {name: "path"}, {name: "managedPolicies"}, {name: "statements"},
	{name: "permissionBoundary"}, {name: "permissionsBoundary"}, {name: "tags"},
}

// schemaIamRole checks provider.iam.role: a role reference or the object
// describing the generated role.
func (p *pass) schemaIamRole(r *node.Node) {
	if opaque(r) {
		return
	}
	if _, ok := intrinsicKey(r); ok || !r.IsMap() {
		p.schemaLambdaRole("provider.iam.role", r)
		return
	}
	p.checkProps(r, iamRoleProps, nil, "provider.iam.role property")
	p.rolePattern("name", r.Get("name"), roleNamePattern, "1 to 64 characters of letters, digits and /_+=,.@-")
	p.rolePattern("path", r.Get("path"), rolePathPattern, "\"/\" or a path that starts and ends with \"/\"")
	if m := r.Get("managedPolicies"); m != nil && !opaque(m) && !m.IsSeq() {
		p.report(&ruleSchemaType, m, "managedPolicies must be a list of policy ARNs, found %s", describe(m))
	}
	if t := r.Get("tags"); t != nil && !opaque(t) && !t.IsMap() {
		p.report(&ruleSchemaType, t, "tags must be an object of tag names to values, found %s", describe(t))
	}
	if s := r.Get("statements"); s != nil {
		p.schemaStatements(s)
	}
}

func (p *pass) rolePattern(name string, v *node.Node, re *lazyre.Regexp, want string) {
	if v == nil || opaque(v) {
		return
	}
	s, ok := str(v)
	if !ok {
		p.report(&ruleSchemaType, v, "%s must be a string, found %s", name, describe(v))
		return
	}
	if !re.MatchString(s) {
		p.report(&ruleSchemaPattern, v, "role %s %q is not valid; use %s", name, s, want)
	}
}
