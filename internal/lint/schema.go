package lint

import (
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// The schema family reproduces the constraints of Serverless v3.40.0's
// config schema for stream events (lib/plugins/aws/package/compile/events/
// stream.js) and for the parts of the config the stream compiler reads
// (lib/config-schema.js, lib/plugins/aws/provider.js). Serverless's default
// configValidationMode "warn" only prints these and packages anyway, with
// values the compiler then mishandles; a PR check should block them, so they
// are errors here.

var ruleSchemaType = diag.Rule{
	ID:          "schema-type",
	Severity:    diag.Error,
	Summary:     "a value of a type Serverless v3's schema does not allow",
	Serverless:  true,
	Description: "A value has a type Serverless v3's schema does not allow (Serverless only warns in its default mode, then compiles or crashes on it).",
}

var ruleSchemaEnum = diag.Rule{
	ID:          "schema-enum",
	Severity:    diag.Error,
	Summary:     "a value not among the schema's allowed values",
	Serverless:  true,
	Description: "A value is not one of the values Serverless v3's schema lists (type, startingPosition, functionResponseType, onFailure type, consumerNamingMode, IAM Effect).",
}

var ruleSchemaRange = diag.Rule{
	ID:          "schema-range",
	Severity:    diag.Error,
	Summary:     "a number or list length out of the schema's range",
	Serverless:  true,
	Description: "A number or list length is outside the range Serverless v3's schema allows (batchSize, parallelizationFactor, batchWindow, maximumRetryAttempts, maximumRecordAgeInSeconds, tumblingWindowInSeconds, filterPatterns).",
}

var ruleSchemaPattern = diag.Rule{
	ID:          "schema-pattern",
	Severity:    diag.Error,
	Summary:     "a string not of the required form (an ARN, a function or role name, a stage or region)",
	Serverless:  true,
	Description: "A string does not have the form Serverless v3's schema requires (an ARN starting with \"arn:\", a function name, an IAM role name or path, provider.stage), or provider.region is not an AWS region name.",
}

var ruleSchemaRequired = diag.Rule{
	ID:          "schema-required",
	Severity:    diag.Error,
	Summary:     "a missing required property (arn, the type of an intrinsic arn, onFailure...)",
	Serverless:  true,
	Description: "A property Serverless v3's schema requires is missing (a stream's arn, the type of an intrinsic arn, destinations.onFailure, an IAM statement's Effect, Action or Resource).",
}

var ruleSchemaUnknownKey = diag.Rule{
	ID:          "schema-unknown-key",
	Severity:    diag.Error,
	Summary:     "a property the schema does not know (Serverless ignores it)",
	Serverless:  true,
	Description: "A property Serverless v3's schema does not know (additionalProperties: false) is set; Serverless ignores it.",
}

// prop describes one property of an object in the schema.
type prop struct {
	name     string
	kind     propKind
	min, max float64
	enum     []string
}

type propKind uint8

const (
	kAny propKind = iota // checked by dedicated code
	kInteger
	kNumber
	kBoolean
	kEnum
)

// checkProps checks the typed properties of obj and reports unknown keys.
// what names the object in unknown-key messages ("stream property").
// index, when not nil, returns the index of a key in props, or -1: a
// switch, for the objects every event has.
func (p *pass) checkProps(obj *node.Node, props []prop, index func(string) int, what string) {
	p.checkPropsAt(obj, props, index, what, nil)
}

// checkPropsAt is checkProps that also records in at, when not nil, the
// pair of each property by its index in props (the first, as Get finds).
func (p *pass) checkPropsAt(obj *node.Node, props []prop, index func(string) int, what string, at []*node.Pair) {
	for i := range obj.Pairs {
		pair := &obj.Pairs[i]
		var spec *prop
		if index != nil {
			if j := index(pair.Key.Str); j >= 0 {
				spec = &props[j]
				if at != nil && at[j] == nil {
					at[j] = pair
				}
			}
		} else {
			spec = findProp(props, pair.Key.Str)
		}
		if spec == nil {
			// Only a finding needs the names: built here, not per object.
			names := make([]string, len(props))
			for i, pr := range props {
				names[i] = pr.name
			}
			p.unknownKey(pair.Key, what, names)
			continue
		}
		p.checkProp(pair.Key.Str, pair.Value, *spec)
	}
}

// findProp returns the property k of props, or nil. It indexes props
// rather than ranging over copies of them.
func findProp(props []prop, k string) *prop {
	for i := range props {
		if props[i].name == k {
			return &props[i]
		}
	}
	return nil
}

func (p *pass) unknownKey(k *node.Node, what string, names []string) {
	hint := didYouMean(k.Str, names)
	if hint == "" {
		hint = " (allowed: " + strings.Join(names, ", ") + ")"
	}
	p.report(&ruleSchemaUnknownKey, k, "unknown %s %q; Serverless ignores it%s", what, k.Str, hint)
}

// checkProp checks one typed value; values of unresolved variables are
// skipped.
func (p *pass) checkProp(name string, v *node.Node, spec prop) {
	if opaque(v) {
		return
	}
	switch spec.kind {
	case kInteger, kNumber:
		p.checkNumber(name, v, spec)
	case kBoolean:
		if _, ok := asBool(v); !ok {
			p.report(&ruleSchemaType, v, "%s must be a boolean (true or false), found %s", name, describe(v))
		}
	case kEnum:
		p.checkEnum(name, v, spec.enum)
	}
}

func (p *pass) checkNumber(name string, v *node.Node, spec prop) {
	f, ok := asNumber(v)
	if !ok {
		p.report(&ruleSchemaType, v, "%s must be %s, found %s", name, numberWord(spec), describe(v))
		return
	}
	if spec.kind == kInteger {
		if _, ok := asInteger(v); !ok {
			p.report(&ruleSchemaType, v, "%s must be a whole number, found %s", name, describe(v))
			return
		}
	}
	if spec.min < spec.max && (f < spec.min || f > spec.max) {
		p.report(&ruleSchemaRange, v, "%s %s is out of range; Serverless allows %s to %s", name, num(f), num(spec.min), num(spec.max))
	}
}

func numberWord(spec prop) string {
	if spec.kind == kNumber {
		return "a number"
	}
	if spec.min < spec.max {
		return "an integer from " + num(spec.min) + " to " + num(spec.max)
	}
	return "an integer"
}

// checkEnum checks an enum without a schema type, which ajv never coerces.
func (p *pass) checkEnum(name string, v *node.Node, allowed []string) {
	s, isStr := str(v)
	if isStr {
		for _, a := range allowed {
			if s == a {
				return
			}
		}
	}
	found := describe(v)
	if isStr {
		found = strconv.Quote(s)
	}
	p.report(&ruleSchemaEnum, v, "%s %s is not allowed; use %s%s", name, found, quoteList(allowed, "or"), didYouMean(s, allowed))
}

// lintSchema runs the schema family.
func lintSchema(p *pass) {
	root := p.root
	if !root.IsMap() || opaque(root) {
		return
	}
	p.schemaKeys(root)
	p.schemaSettings(root)
	p.schemaFunctions(root.Get("functions"))
	p.schemaProvider(root.Get("provider"))
	for _, e := range p.events {
		p.schemaStream(e)
	}
}
