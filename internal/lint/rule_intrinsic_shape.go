package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleIntrinsicShape = diag.Rule{
	ID:          "intrinsic-shape",
	Severity:    diag.Error,
	Summary:     "a malformed Fn::GetAtt or Ref that CloudFormation rejects",
	Description: "An Fn::GetAtt or Ref in a stream event that CloudFormation rejects: Fn::GetAtt must be [LogicalId, Attribute] with both non-empty (`!GetAtt Table` has no attribute, a bare `!GetAtt` names nothing), Ref a non-empty name. Serverless packages it; the deploy fails, and a standalone template would turn it into a parameter.",
}

// checkIntrinsicShape looks at every intrinsic inside each stream event:
// they are copied into the template as written.
func checkIntrinsicShape(p *pass) {
	for _, e := range p.events {
		skip := e.arn
		if e.arn.IsMap() && arnIntrinsicProblem(e) == "" {
			skip = nil // a well-formed arn for Serverless may still lack an attribute
		}
		attr := "Arn" // what a queue, topic, Kinesis stream or consumer offers
		if e.typ == "dynamodb" {
			attr = "StreamArn"
		}
		p.intrinsicShape(e.value, skip, e.arn, attr)
	}
}

// intrinsicShape checks n and what it holds; skip is an arn already
// reported by arn-intrinsic, and attr the attribute to suggest for arn.
func (p *pass) intrinsicShape(n, skip, arn *node.Node, attr string) {
	if n == nil || n == skip || opaque(n) {
		return
	}
	for _, it := range n.Items {
		p.intrinsicShape(it, skip, arn, attr)
	}
	for _, pr := range n.Pairs {
		p.intrinsicShape(pr.Value, skip, arn, attr)
	}
	k, ok := intrinsicKey(n)
	if !ok {
		return
	}
	v := n.Pairs[0].Value
	if opaque(v) || deepOpaque(v) {
		return
	}
	switch k {
	case "Ref":
		if s, ok := str(v); !ok || s == "" {
			p.report(&ruleIntrinsicShape, n, "this Ref names nothing; CloudFormation needs a resource or parameter name, found %s", found(v))
		}
	case "Fn::GetAtt":
		if !v.IsSeq() || len(v.Items) != 2 {
			p.report(&ruleIntrinsicShape, n, "this Fn::GetAtt must be [LogicalId, Attribute], found %s", v.Stringify())
			return
		}
		if s, ok := str(v.Items[0]); !ok || s == "" {
			p.report(&ruleIntrinsicShape, n, "this Fn::GetAtt names no resource (a bare !GetAtt?), found %s; write !GetAtt LogicalId.Attribute", v.Stringify())
			return
		}
		if _, isIntrinsic := intrinsicKey(v.Items[1]); isIntrinsic {
			return // CloudFormation takes a Ref as the attribute name
		}
		if s, ok := str(v.Items[1]); !ok || s == "" {
			id, want := v.Items[0].Str, "Arn"
			if n == arn {
				want = attr
			}
			p.report(&ruleIntrinsicShape, n, "this Fn::GetAtt of %q has no attribute (!GetAtt %s reads as [%q, \"\"]); write !GetAtt %s.%s, or the attribute you mean", id, id, id, id, want)
		}
	}
}

// found names a value for a message: a string quoted, else its kind.
func found(n *node.Node) string {
	if n.IsString() {
		return `""`
	}
	return describe(n)
}
