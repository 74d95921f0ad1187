package lint

import "github.com/stream-events/stream-events/internal/node"

// resource returns the resource named id in `resources.Resources` (an
// object, or a list of fragments as Serverless merges them), or nil.
func (p *pass) resource(id string) *node.Node {
	res := p.root.Get("resources")
	if res.IsSeq() {
		for _, it := range res.Items {
			if r := it.Path("Resources", id); r != nil {
				return r
			}
		}
		return nil
	}
	return res.Path("Resources", id)
}

// resourceType returns the Type of resource id, or "".
func (p *pass) resourceType(id string) string {
	t, _ := str(p.resource(id).Get("Type"))
	return t
}

// getAtt returns the logical ID and attribute of an Fn::GetAtt arn.
func getAtt(a *node.Node) (id, attr string, ok bool) {
	v := a.Get("Fn::GetAtt")
	if !v.IsSeq() || len(v.Items) != 2 {
		return "", "", false
	}
	id, ok1 := str(v.Items[0])
	attr, ok2 := str(v.Items[1])
	return id, attr, ok1 && ok2
}

const (
	typeTable  = "AWS::DynamoDB::Table"
	typeStream = "AWS::Kinesis::Stream"
)
