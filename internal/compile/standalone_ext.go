package compile

import (
	"fmt"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// extend applies resources.extensions to the standalone resources, as
// Serverless applies them to its own: this is how a user adds what the
// stream event cannot express (MetricsConfig, Tags, KmsKeyArn, a
// DeletionPolicy). A consumer is found by its Serverless or its standalone
// logical ID. What the standalone template cannot honour is an error.
func (s *standalone) extend(mappings []*Mapping) {
	ext := Extensions(s.svc.Root)
	if ext == nil {
		return
	}
	ids := map[string]string{} // extension key -> standalone logical ID
	for _, m := range mappings {
		ids[m.LogicalID] = m.LogicalID
		if m.Consumer != nil {
			cid := standaloneConsumerID(m.Consumer)
			ids[m.Consumer.LogicalID], ids[cid] = cid, cid
		}
	}
	for _, e := range ext.Pairs {
		id, ok := ids[e.Key.Str]
		if !ok || !e.Value.IsMap() {
			continue
		}
		if fs := s.checkExtension(e); len(fs) > 0 {
			s.findings = append(s.findings, fs...)
			continue
		}
		i, ok := s.index[indexKey{s.resources, id}]
		if !ok {
			continue // its mapping failed, and a finding says why
		}
		s.resources.Pairs[i].Value = s.protect(extendResource(s.resources.Pairs[i].Value, s.external(e.Value)), e)
	}
}

// protect gives a resource with a DeletionPolicy and no UpdateReplacePolicy
// the same UpdateReplacePolicy: a replacement deletes the old resource too,
// and cfn-lint (W3011) warns of the half protection.
func (s *standalone) protect(res *node.Node, e node.Pair) *node.Node {
	del := res.Get("DeletionPolicy")
	if del == nil || res.Get("UpdateReplacePolicy") != nil {
		return res
	}
	res.Set("UpdateReplacePolicy", del)
	s.findings = append(s.findings, diag.Finding{Rule: Rule, Severity: diag.Notice, Range: e.Value.GetPair("DeletionPolicy").Key.Range,
		Message: fmt.Sprintf("the standalone template gives %q UpdateReplacePolicy %s as well: a replacement deletes the old resource too", e.Key.Str, del.Stringify())})
	return res
}

// checkExtension reports what of one extension the standalone template
// cannot hold: an attribute Serverless refuses, a Condition (the template
// has no Conditions) and a DependsOn on a resource it does not define.
func (s *standalone) checkExtension(e node.Pair) diag.Findings {
	one := node.NewMap(e.Key.Range)
	one.Pairs = []node.Pair{e}
	fs := unsupportedExtensions(one)
	if c := e.Value.GetPair("Condition"); c != nil {
		fs = append(fs, finding(c.Key, fmt.Sprintf(
			"the extension of %q sets a Condition, which a standalone template cannot hold: it has no Conditions section; use --mode serverless or remove the Condition", e.Key.Str)))
	}
	d := e.Value.Get("DependsOn")
	list := []*node.Node{d}
	if d.IsSeq() {
		list = d.Items
	}
	for _, dep := range list {
		if dep.IsNull() || dep.IsString() && s.definesResource(dep.Str) {
			continue
		}
		fs = append(fs, finding(dep, fmt.Sprintf(
			"the extension of %q depends on %s, which is not a resource of the standalone template (a resource of the Serverless stack cannot be named here)", e.Key.Str, dep.Describe())))
	}
	return fs
}

func (s *standalone) definesResource(id string) bool {
	if _, ok := s.index[indexKey{s.resources, id}]; ok {
		return true
	}
	for _, p := range s.policies {
		if p.logicalID == id {
			return true
		}
	}
	return false
}
