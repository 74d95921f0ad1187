package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/node"
)

// streamProps are the properties of a stream event's object form, in the
// order of stream.js's schema.
var streamProps = []prop{
	{name: "arn"},
	{name: "type", kind: kEnum, enum: []string{"dynamodb", "kinesis"}},
	{name: "batchSize", kind: kInteger, min: 1, max: 10000},
	{name: "parallelizationFactor", kind: kInteger, min: 1, max: 10},
	{name: "startingPosition", kind: kEnum, enum: []string{"LATEST", "TRIM_HORIZON", "AT_TIMESTAMP"}},
	{name: "startingPositionTimestamp", kind: kNumber},
	{name: "enabled", kind: kBoolean},
	{name: "consumer"},
	{name: "batchWindow", kind: kInteger, min: 0, max: 300},
	{name: "maximumRetryAttempts", kind: kInteger, min: -1, max: 10000},
	{name: "bisectBatchOnFunctionError", kind: kBoolean},
	{name: "maximumRecordAgeInSeconds"},
	{name: "functionResponseType", kind: kEnum, enum: []string{"ReportBatchItemFailures"}},
	{name: "destinations"},
	{name: "tumblingWindowInSeconds", kind: kInteger, min: 0, max: 900},
	{name: "filterPatterns"},
}

// streamProp returns the index of the property k in streamProps, or -1: a
// switch, as every key of every stream event is looked up.
// TestStreamProp holds it equal to the list.
func streamProp(k string) int {
	switch k {
	case "arn":
		return 0
	case "type":
		return 1
	case "batchSize":
		return 2
	case "parallelizationFactor":
		return 3
	case "startingPosition":
		return 4
	case "startingPositionTimestamp":
		return 5
	case "enabled":
		return 6
	case "consumer":
		return 7
	case "batchWindow":
		return 8
	case "maximumRetryAttempts":
		return 9
	case "bisectBatchOnFunctionError":
		return 10
	case "maximumRecordAgeInSeconds":
		return 11
	case "functionResponseType":
		return 12
	case "destinations":
		return 13
	case "tumblingWindowInSeconds":
		return 14
	case "filterPatterns":
		return 15
	}
	return -1
}

const arnForms = `a string starting with "arn:", or Fn::GetAtt, Ref, Fn::ImportValue or Fn::Join together with type`

// schemaStream checks one stream event against stream.js's schema.
func (p *pass) schemaStream(e *event) {
	v := e.value
	switch {
	case v.IsString():
		p.arnString("stream", v)
	case v.IsMap() && e.obj == nil:
		k, _ := intrinsicKey(v)
		p.report(&ruleSchemaType, v, "stream cannot be the intrinsic %s itself; write stream: {arn: <the intrinsic>, type: dynamodb or kinesis}", k)
	case v.IsMap():
		p.schemaStreamObject(e)
	default:
		p.report(&ruleSchemaType, v, "stream must be an ARN string or an object with arn, found %s", describe(v))
	}
}

// streamPairs holds an object-form event's pairs by their index in
// streamProps: the schema reads them from one pass over the keys.
type streamPairs [16]*node.Pair

func (at *streamPairs) get(i int) *node.Node {
	if at[i] == nil {
		return nil
	}
	return at[i].Value
}

// Indexes in streamProps of the properties the schema reads.
const (
	spArn          = 0
	spType         = 1
	spConsumer     = 7
	spMaxRecordAge = 11
	spDestinations = 13
	spFilters      = 15
)

func (p *pass) schemaStreamObject(e *event) {
	var at streamPairs
	p.checkPropsAt(e.obj, streamProps, streamProp, "stream property", at[:])
	p.schemaArn(e, &at)
	if c := at.get(spConsumer); c != nil && !opaque(c) {
		p.schemaConsumer(c)
	}
	if m := at.get(spMaxRecordAge); m != nil && !opaque(m) {
		p.schemaRecordAge(m)
	}
	if d := at[spDestinations]; d != nil && !opaque(d.Value) {
		p.schemaDestinations(d)
	}
	if f := at.get(spFilters); f != nil && !opaque(f) {
		p.schemaFilterPatterns(f)
	}
}

// schemaArn checks the arn anyOf: an ARN string, or an intrinsic with type.
func (p *pass) schemaArn(e *event, at *streamPairs) {
	pr := at[spArn]
	if pr == nil {
		p.report(&ruleSchemaRequired, e.key, "stream event has no arn; set arn to the stream's ARN: %s", arnForms)
		return
	}
	a := pr.Value
	switch {
	case opaque(a):
	case a.IsString():
		p.arnString("arn", a)
	case a.IsMap():
		if at.get(spType) == nil {
			p.report(&ruleSchemaRequired, pr.Key, "arn %s needs type: dynamodb or kinesis next to it; Serverless cannot infer the stream type from an intrinsic", describe(a))
		}
	default:
		p.report(&ruleSchemaType, a, "arn must be %s, found %s", arnForms, describe(a))
	}
}

// arnString checks the awsArnString pattern "^arn:".
func (p *pass) arnString(name string, v *node.Node) {
	if opaque(v) || strings.HasPrefix(v.Str, "arn:") {
		return
	}
	p.report(&ruleSchemaPattern, v, "%s %q is not an ARN; it must start with \"arn:\" (or use an intrinsic such as !GetAtt with type)", name, v.Str)
}

// schemaConsumer checks anyOf [const true, awsArn].
func (p *pass) schemaConsumer(c *node.Node) {
	switch {
	case c.Kind == node.Bool && c.Bool, c.IsMap():
	case c.Kind == node.Bool:
		p.report(&ruleSchemaType, c, "consumer false is not allowed: Serverless turns it into the consumer ARN \"false\"; remove consumer to read the stream without a consumer")
	case c.IsString():
		p.arnString("consumer", c)
	default:
		p.report(&ruleSchemaType, c, "consumer must be true or a consumer ARN, found %s", describe(c))
	}
}

// schemaRecordAge checks anyOf [const -1, integer 60..604800].
func (p *pass) schemaRecordAge(m *node.Node) {
	f, ok := asInteger(m)
	if !ok {
		p.report(&ruleSchemaType, m, "maximumRecordAgeInSeconds must be -1 or an integer from 60 to 604800, found %s", describe(m))
		return
	}
	if f != -1 && (f < 60 || f > 604800) {
		p.report(&ruleSchemaRange, m, "maximumRecordAgeInSeconds %s is out of range; Serverless allows -1 (no limit) or 60 to 604800", num(f))
	}
}

// schemaDestinations checks {onFailure} with onFailure an ARN string or
// {arn, type}.
func (p *pass) schemaDestinations(d *node.Pair) {
	v := d.Value
	if !v.IsMap() {
		p.report(&ruleSchemaType, v, "destinations must be an object with onFailure, found %s", describe(v))
		return
	}
	for _, pr := range v.Pairs {
		switch pr.Key.Str {
		case "onFailure":
		case "onSuccess":
			p.report(&ruleSchemaUnknownKey, pr.Key, "unknown destinations property \"onSuccess\"; event source mappings support only onFailure destinations")
		default:
			p.unknownKey(pr.Key, "destinations property", []string{"onFailure"})
		}
	}
	of := v.GetPair("onFailure")
	if of == nil {
		p.report(&ruleSchemaRequired, d.Key, "destinations has no onFailure; set onFailure to an SQS queue or SNS topic ARN, or remove destinations")
		return
	}
	p.schemaOnFailure(of.Value)
}

var onFailureProps = []prop{
	{name: "arn"},
	{name: "type", kind: kEnum, enum: []string{"sns", "sqs"}},
}

func (p *pass) schemaOnFailure(v *node.Node) {
	switch {
	case opaque(v):
	case v.IsString():
		p.arnString("onFailure", v)
	case v.IsMap():
		if k, ok := intrinsicKey(v); ok {
			p.report(&ruleSchemaType, v, "onFailure cannot be the intrinsic %s itself; write it as onFailure: {arn: <the intrinsic>, type: sqs or sns}", k)
			return
		}
		p.checkProps(v, onFailureProps, nil, "onFailure property")
		p.schemaOnFailureArn(v)
	default:
		p.report(&ruleSchemaType, v, "onFailure must be an ARN string or an object with arn and type, found %s", describe(v))
	}
}

func (p *pass) schemaOnFailureArn(v *node.Node) {
	pr := v.GetPair("arn")
	if pr == nil {
		p.report(&ruleSchemaRequired, v, "onFailure has no arn; set arn to the SQS queue or SNS topic ARN")
		return
	}
	a := pr.Value
	switch {
	case opaque(a):
	case a.IsString():
		p.arnString("onFailure arn", a)
	case a.IsMap():
		if v.Get("type") == nil {
			p.report(&ruleSchemaRequired, pr.Key, "onFailure arn %s needs type: sqs or sns next to it; Serverless cannot infer the destination type from an intrinsic", describe(a))
		}
	default:
		p.report(&ruleSchemaType, a, "onFailure arn must be an ARN string or an intrinsic with type, found %s", describe(a))
	}
}

// schemaFilterPatterns checks {type: array, minItems 1, maxItems 10, items
// object}.
func (p *pass) schemaFilterPatterns(f *node.Node) {
	if !f.IsSeq() {
		p.report(&ruleSchemaType, f, "filterPatterns must be a list of filter objects, found %s", describe(f))
		return
	}
	if n := len(f.Items); n < 1 || n > 10 {
		p.report(&ruleSchemaRange, f, "filterPatterns has %d patterns; Serverless allows 1 to 10 (omit filterPatterns to receive every record)", n)
	}
	for _, it := range f.Items {
		if !it.IsMap() && !opaque(it) {
			p.report(&ruleSchemaType, it, "a filter pattern must be an object such as {data: {field: [value]}}, found %s", describe(it))
		}
	}
}
