package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleArnIntrinsic = diag.Rule{
	ID:          "arn-intrinsic",
	Severity:    diag.Error,
	Summary:     "an intrinsic arn Serverless v3 crashes on",
	Description: "A stream arn is an intrinsic function Serverless v3 cannot name a mapping from (anything but Fn::GetAtt, Ref, Fn::ImportValue or Fn::Join with a string last element), so packaging crashes with a JavaScript TypeError.",
}

// checkArnIntrinsic mirrors stream.js's stream-name function, which reads
// Fn::GetAtt[0], Fn::ImportValue, Ref or the last Fn::Join element and
// otherwise calls EventSourceArn.split.
func checkArnIntrinsic(p *pass) {
	for _, e := range p.events {
		a := e.arn
		if !a.IsMap() || opaque(a) {
			continue
		}
		if msg := arnIntrinsicProblem(e); msg != "" {
			p.report(&ruleArnIntrinsic, a, "this arn crashes Serverless v3: %s", msg)
		}
	}
}

func arnIntrinsicProblem(e *event) string {
	a := e.arn
	const use = "; use Fn::GetAtt, Ref, Fn::ImportValue or Fn::Join"
	if v := a.Get("Fn::GetAtt"); v.Truthy() {
		if !v.IsSeq() || len(v.Items) == 0 || !v.Items[0].IsString() {
			return "Fn::GetAtt must be [LogicalId, Attribute]"
		}
		return ""
	}
	for _, k := range []string{"Fn::ImportValue", "Ref"} {
		if v := a.Get(k); v.Truthy() {
			if !v.IsString() {
				return k + " must name the value with a plain string, not " + describe(v) + " (Serverless derives the logical ID from it)"
			}
			return ""
		}
	}
	if v := a.Get("Fn::Join"); v.Truthy() {
		if v.IsSeq() && len(v.Items) == 2 && v.Items[1].IsSeq() && len(v.Items[1].Items) > 0 && v.Items[1].Items[len(v.Items[1].Items)-1].IsString() {
			return ""
		}
		return "the last element of Fn::Join's list must be a string ending in the stream name"
	}
	k, ok := intrinsicKey(a)
	if !ok {
		return "it is an object but not an intrinsic function" + use
	}
	return k + " is not supported (\"EventSourceArn.split is not a function\")" + use
}
