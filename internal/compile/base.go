package compile

import (
	"slices"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// BaseRule reports a --base template the stream resources cannot be merged into.
const BaseRule = "base-template"

// ServerlessTemplate renders res as Serverless v3 would have added it to
// base (which it changes in place), the template `serverless package` wrote
// for the same service without stream events. With a nil base it returns a
// template holding only the compiled resources and, where Serverless would
// add them, the role's stream statements.
func ServerlessTemplate(res *Result, base *node.Node) (*node.Node, diag.Findings) {
	ext := Extensions(res.Service.Root)
	if fs := append(serverlessStops(res.Service), unsupportedExtensions(ext)...); len(fs) > 0 {
		return nil, fs
	}
	if base == nil {
		if fs := missingExtended(ext, func(id string) bool { _, ok := res.index[id]; return ok || !streamResourceID.MatchString(id) }); len(fs) > 0 {
			return nil, fs
		}
		return fragment(res, ext), nil
	}
	var fs diag.Findings
	if !base.IsMap() || !base.Get("Resources").IsMap() {
		return nil, diag.Findings{{Rule: BaseRule, Severity: diag.Error, Range: base.Range,
			Message: "the base template must be a CloudFormation template object with Resources"}}
	}
	t := base // the caller's freshly parsed base: changed in place
	resources := t.Get("Resources")
	custom := customResources(res.Service.Root)
	insertResources(resources, res.Resources, insertionIndex(resources, res.Service, custom), custom)
	if fs := missingExtended(ext, func(id string) bool { return resources.GetPair(id) != nil }); len(fs) > 0 {
		return nil, fs
	}
	extendResources(resources, ext, func(id string) bool { _, ok := res.index[id]; return ok })
	if len(res.Statements) > 0 && !policiesExtended(res.Service.Root) {
		st := resources.Path(DefaultRoleLogicalID, "Properties", "Policies")
		if st.IsSeq() && len(st.Items) > 0 {
			st = st.Items[0].Path("PolicyDocument", "Statement")
		}
		if !st.IsSeq() {
			fs = append(fs, diag.Finding{Rule: BaseRule, Severity: diag.Warning, Range: base.Range,
				Message: "the base template has no IamRoleLambdaExecution policy statements; the stream statements were not added"})
		} else {
			at := statementIndex(st, res.Service)
			custom := customRoleStatements(res.Service.Root)
			if custom != nil && len(custom.Items) >= len(st.Items) {
				// base's tail is custom statements, not later compilers'.
				at = generatedStatements(st, res.Service)
			}
			if f := insertStatements(st, at, res.Statements, custom, base.Range); f != nil {
				fs = append(fs, *f)
			}
		}
	}
	return t, fs
}

// policiesExtended reports resources.extensions replacing the default
// role's Policies: the extension is applied after compilation and replaces
// the list the stream statements were added to.
func policiesExtended(root *node.Node) bool {
	return root.Path("resources", "extensions", DefaultRoleLogicalID, "Properties").GetPair("Policies") != nil
}

func fragment(res *Result, ext *node.Node) *node.Node {
	var r diag.Range
	t := node.NewMap(r)
	t.Set("AWSTemplateFormatVersion", node.NewString("2010-09-09", r))
	resources := shallowCopy(res.Resources)
	extendResources(resources, ext, func(string) bool { return true })
	if len(res.Statements) > 0 {
		doc := node.NewMap(r)
		doc.Set("Statement", node.NewSeq(r, res.Statements...))
		pol := node.NewMap(r)
		pol.Set("PolicyDocument", doc)
		props := node.NewMap(r)
		props.Set("Policies", node.NewSeq(r, pol))
		role := node.NewMap(r)
		role.Set("Properties", props)
		resources.Set(DefaultRoleLogicalID, role)
	}
	t.Set("Resources", resources)
	return t
}

// customResources returns the logical IDs of resources.Resources, which may
// also be written as a list of such mappings (merged in order).
func customResources(root *node.Node) map[string]bool {
	out := map[string]bool{}
	res := root.Get("resources")
	parts := []*node.Node{res}
	if res.IsSeq() {
		parts = res.Items
	}
	for _, part := range parts {
		if rs := part.Get("Resources"); rs.IsMap() {
			for _, p := range rs.Pairs {
				out[p.Key.Str] = true
			}
		}
	}
	return out
}

// insertResources adds the compiled resources at position at. A compiled
// resource that base already holds is a custom one of the same logical ID:
// Serverless merged the custom definition over the compiled one (custom
// values win) where the compiled one stood, so it moves there.
func insertResources(dst, src *node.Node, at int, custom map[string]bool) {
	existing := make(map[string]int, len(dst.Pairs))
	for i, p := range dst.Pairs {
		existing[p.Key.Str] = i
	}
	var added []node.Pair
	moved := map[int]bool{}
	for _, p := range src.Pairs {
		i, ok := existing[p.Key.Str]
		switch {
		case !ok:
			added = append(added, p)
		case custom[p.Key.Str]:
			moved[i] = true
			added = append(added, node.Pair{Key: p.Key, Value: node.Merge(p.Value.Clone(), dst.Pairs[i].Value)})
		default:
			dst.Pairs[i].Value = node.Merge(dst.Pairs[i].Value, p.Value)
		}
	}
	var out []node.Pair
	for i, p := range dst.Pairs {
		if i == at {
			out = append(out, added...)
		}
		if !moved[i] {
			out = append(out, p)
		}
	}
	if at >= len(dst.Pairs) {
		out = append(out, added...)
	}
	dst.Pairs = out
}

// insertionIndex is where the stream compiler's resources land in base:
// before the first resource that a later compiler added, and before the
// custom resources: section, which is merged last and so forms base's tail
// (a custom resource that overrides a generated one stays where that one
// was, and does not count).
func insertionIndex(resources *node.Node, svc *Service, custom map[string]bool) int {
	at := len(resources.Pairs)
	for at > 0 && custom[resources.Pairs[at-1].Key.Str] {
		at--
	}
	prefixes := functionPrefixes(svc)
	for i, p := range resources.Pairs[:at] {
		if isLaterResource(p.Key.Str, p.Value.Get("Type"), prefixes) {
			return i
		}
	}
	return at
}

// functionPrefixes are the normalized function names that start the logical
// IDs of each function's resources, longest first, so that a function
// called albHandler is not taken for the alb compiler.
func functionPrefixes(svc *Service) []string {
	out := make([]string, 0, len(svc.Functions))
	for _, f := range svc.Functions {
		out = append(out, NormalizedResourceName(f.Name))
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// statementIndex is where the stream statements go in the role: after
// everything written before event compilation (the log statements, the Deny
// for disabled logs, the custom statements, and what compileFunctions adds
// for tracing or destinations) and before the statements of the event
// compilers that run after the stream compiler (sqs, kafka, msk, activemq,
// rabbitmq).
func statementIndex(st *node.Node, svc *Service) int {
	at := generatedStatements(st, svc)
	for i := at; i < len(st.Items); i++ {
		if isLaterStatement(st.Items[i]) {
			return i
		}
	}
	return len(st.Items)
}

// generatedStatements counts the statements written before event
// compilation.
func generatedStatements(st *node.Node, svc *Service) int {
	at := 2
	if len(st.Items) > 2 {
		if e := st.Items[2].Get("Effect"); e.IsString() && e.Str == "Deny" {
			if a := st.Items[2].Get("Action"); a.IsString() && a.Str == "logs:PutLogEvents" {
				at++
			}
		}
	}
	return min(at+svc.RoleStatements, len(st.Items))
}
