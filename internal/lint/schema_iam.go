package lint

import "github.com/stream-events/stream-events/internal/node"

var statementProps = []prop{
	{name: "Sid"}, {name: "Effect", kind: kEnum, enum: []string{"Allow", "Deny"}},
	{name: "Action"}, {name: "NotAction"}, {name: "Principal"}, {name: "NotPrincipal"},
	{name: "Resource"}, {name: "NotResource"}, {name: "Condition"},
}

// schemaStatements checks awsIamPolicyStatements: the custom statements
// Serverless puts before the stream statements in the execution role.
func (p *pass) schemaStatements(s *node.Node) {
	if opaque(s) {
		return
	}
	if !s.IsSeq() {
		p.report(&ruleSchemaType, s, "statements must be a list of IAM statements, found %s", describe(s))
		return
	}
	for _, st := range s.Items {
		p.schemaStatement(st)
	}
}

func (p *pass) schemaStatement(st *node.Node) {
	if opaque(st) {
		return
	}
	if !st.IsMap() {
		p.report(&ruleSchemaType, st, "an IAM statement must be an object with Effect, Action and Resource, found %s", describe(st))
		return
	}
	p.checkProps(st, statementProps, nil, "IAM statement property")
	if st.Get("Effect") == nil {
		p.report(&ruleSchemaRequired, st, "the IAM statement has no Effect; add Effect: Allow or Deny")
	}
	p.exactlyOne(st, "Action", "NotAction")
	p.exactlyOne(st, "Resource", "NotResource")
}

func (p *pass) exactlyOne(st *node.Node, a, b string) {
	pa, pb := st.GetPair(a), st.GetPair(b)
	switch {
	case pa == nil && pb == nil:
		p.report(&ruleSchemaRequired, st, "the IAM statement has no %s; add %s (or %s)", a, a, b)
	case pa != nil && pb != nil:
		p.report(&ruleSchemaRequired, pb.Key, "the IAM statement has both %s and %s; keep one", a, b)
	}
}
