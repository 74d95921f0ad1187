package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
)

var ruleTableArn = diag.Rule{
	ID:          "table-arn",
	Severity:    diag.Error,
	Summary:     "a table ARN where a stream ARN belongs",
	Description: "A DynamoDB stream event points at the table's ARN instead of its stream's ARN, which Lambda rejects as an event source.",
}

func checkTableArn(p *pass) {
	for _, e := range p.events {
		if e.arn == nil || opaque(e.arn) {
			continue
		}
		if s, ok := str(e.arn); ok {
			p.tableArnString(e, s)
			continue
		}
		id, attr, ok := getAtt(e.arn)
		if !ok || attr == "StreamArn" {
			continue
		}
		isTable := p.resourceType(id) == typeTable
		if isTable || e.typ == "dynamodb" && attr == "Arn" && p.resourceType(id) == "" {
			p.report(&ruleTableArn, e.arn, "!GetAtt %s.%s is the table's ARN, not its stream's; use !GetAtt %s.StreamArn (and give the table a StreamSpecification)", id, attr, id)
		}
	}
}

func (p *pass) tableArnString(e *event, s string) {
	a, ok := parseARN(s)
	if !ok || a.service != "dynamodb" || e.typ != "dynamodb" {
		return
	}
	if table, _ := a.dynamodbStream(); table {
		name := strings.TrimPrefix(a.resource, "table/")
		p.report(&ruleTableArn, e.arn, "%q is a DynamoDB table ARN; a stream event needs the table's stream ARN (%s/stream/<label>), e.g. !GetAtt <Table>.StreamArn", s, "…:table/"+name)
	}
}
