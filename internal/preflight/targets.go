package preflight

import (
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Target is what one mapping of the template will need in the account,
// with every value as CloudFormation will receive it. An empty value is
// one the template computes (an Fn::Sub, Fn::ImportValue...): it is not
// checked.
type Target struct {
	Range    diag.Range // the stream event in serverless.yml
	Function string     // the function's physical name
	Alias    string     // provisioned concurrency or SnapStart: the alias the mapping targets
	Kind     string     // "dynamodb" or "kinesis"
	// Source is EventSourceArn: the stream, or a consumer that exists
	// already. It is "" for a consumer this template creates.
	Source string
	// Stream is the stream the source reads: the DynamoDB stream ARN, or
	// the Kinesis stream ARN (also behind a consumer).
	Stream string
	// Consumer is the name of a consumer this template creates.
	Consumer    string
	Role        string // the execution role's name, as the policy is attached
	Destination string // the onFailure destination's ARN
}

// Targets reads the targets of res's mappings from tpl, the standalone
// template with every parameter's value as its Default.
func Targets(res *compile.Result, tpl *node.Node) []Target {
	if res == nil || tpl == nil {
		return nil
	}
	v := values{params: tpl.Get("Parameters"), resources: tpl.Get("Resources")}
	var out []Target
	seen := map[string]bool{}
	for _, m := range res.Mappings {
		esm := v.resources.Get(m.LogicalID)
		if seen[m.LogicalID] || esm == nil {
			continue
		}
		seen[m.LogicalID] = true
		p := esm.Get("Properties")
		t := Target{Range: m.Event.Node.Range, Kind: m.StreamType, Alias: m.Event.Function.Alias}
		t.Function = v.str(p.Get("FunctionName"))
		if t.Alias != "" {
			t.Function = strings.TrimSuffix(t.Function, ":"+t.Alias)
		}
		src := p.Get("EventSourceArn")
		if c := v.consumer(src); c != nil {
			cp := c.Get("Properties")
			t.Consumer, t.Stream = v.str(cp.Get("ConsumerName")), v.str(cp.Get("StreamARN"))
		} else {
			t.Source = v.str(src)
			t.Stream = t.Source
			if i := strings.Index(t.Source, "/consumer/"); i >= 0 && m.StreamType == "kinesis" {
				t.Stream = t.Source[:i]
			}
		}
		t.Destination = v.str(p.Path("DestinationConfig", "OnFailure", "Destination"))
		t.Role = v.role(esm.Get("DependsOn"))
		out = append(out, t)
	}
	return out
}

// values evaluates the template's values that are known before a deploy.
type values struct{ params, resources *node.Node }

// str is n's value: a string, or a Ref to a parameter with a Default; ""
// when the template computes it.
func (v values) str(n *node.Node) string {
	switch {
	case n.IsString():
		return n.Str
	case n.IsMap() && len(n.Pairs) == 1 && n.Pairs[0].Key.Str == "Ref" && n.Pairs[0].Value.IsString():
		if d := v.params.Path(n.Pairs[0].Value.Str, "Default"); d.IsString() {
			return d.Str
		}
	}
	return ""
}

// consumer is the consumer resource n refers to, if this template
// creates it.
func (v values) consumer(n *node.Node) *node.Node {
	if !n.IsMap() || len(n.Pairs) != 1 || n.Pairs[0].Key.Str != "Ref" || !n.Pairs[0].Value.IsString() {
		return nil
	}
	r := v.resources.Get(n.Pairs[0].Value.Str)
	if t := r.Get("Type"); t.IsString() && t.Str == "AWS::Kinesis::StreamConsumer" {
		return r
	}
	return nil
}

// role is the name of the role the mapping's policy is attached to: the
// mapping depends on its policy first.
func (v values) role(depends *node.Node) string {
	if !depends.IsSeq() {
		return ""
	}
	for _, d := range depends.Items {
		r := v.resources.Get(d.Str)
		if t := r.Get("Type"); t.IsString() && t.Str == "AWS::IAM::Policy" {
			if roles := r.Path("Properties", "Roles"); roles.IsSeq() && len(roles.Items) > 0 {
				return v.str(roles.Items[0])
			}
		}
	}
	return ""
}
