package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleTableWithoutStream = diag.Rule{
	ID:          "table-without-stream",
	Severity:    diag.Error,
	Summary:     "`!GetAtt T.StreamArn` of a table without StreamSpecification",
	Description: "A stream event reads !GetAtt Table.StreamArn of a table in `resources` that has no StreamSpecification, so the attribute does not exist and the deploy fails.",
}

func checkTableWithoutStream(p *pass) {
	for _, e := range p.events {
		if !e.arn.IsMap() {
			continue
		}
		id, attr, ok := getAtt(e.arn)
		if !ok || attr != "StreamArn" || p.resourceType(id) != typeTable {
			continue
		}
		props := p.resource(id).Get("Properties")
		if !props.IsMap() || deepOpaque(props) || props.Get("StreamSpecification") != nil {
			continue
		}
		p.report(&ruleTableWithoutStream, e.arn, "table %q has no StreamSpecification, so !GetAtt %s.StreamArn fails; add StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES} to the table", id, id)
	}
}
