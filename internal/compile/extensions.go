package compile

import (
	"fmt"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

// resources.extensions, as Serverless v3's mergeCustomProviderResources
// applies them once every compiler has run (lib/plugins/aws/package/lib/
// merge-custom-provider-resources.js): the policy attributes replace the
// generated ones, Properties and Metadata are shallowly assigned (a key
// keeps its place, a new one goes last), DependsOn is appended to, and
// stripNullPropsFromTemplateResources then drops null properties.

// extensionAttributes are the attributes Serverless can extend; any other
// stops it (RESOURCE_EXTENSION_UNSUPPORTED_ATTRIBUTE).
var extensionAttributes = map[string]bool{"Condition": true, "CreationPolicy": true, "DeletionPolicy": true,
	"UpdatePolicy": true, "UpdateReplacePolicy": true, "Properties": true, "DependsOn": true, "Metadata": true}

// Extensions returns resources.extensions; resources written as a list of
// mappings is merged first, as Serverless's mergeArrays does.
func Extensions(root *node.Node) *node.Node {
	res := root.Get("resources")
	if !res.IsSeq() {
		if ext := res.Get("extensions"); ext.IsMap() {
			return ext
		}
		return nil
	}
	var out *node.Node
	for _, part := range res.Items {
		if ext := part.Get("extensions"); ext.IsMap() {
			out = node.Merge(out, ext.Clone())
		}
	}
	return out
}

// unsupportedExtensions reports every attribute Serverless refuses to
// extend, on any resource: Serverless stops at the first.
func unsupportedExtensions(ext *node.Node) diag.Findings {
	var fs diag.Findings
	if ext == nil {
		return nil
	}
	for _, res := range ext.Pairs {
		if !res.Value.IsMap() {
			continue
		}
		for _, a := range res.Value.Pairs {
			if !extensionAttributes[a.Key.Str] {
				fs = append(fs, finding(a.Key, fmt.Sprintf(
					"Serverless cannot extend the %q attribute of %q (RESOURCE_EXTENSION_UNSUPPORTED_ATTRIBUTE); extensions take Properties, Metadata, DependsOn, Condition, CreationPolicy, DeletionPolicy, UpdatePolicy and UpdateReplacePolicy",
					a.Key.Str, res.Key.Str)))
			}
		}
	}
	return fs
}

// streamResourceID matches the logical IDs the stream compiler names:
// without a base template, only an extension of such an ID can be known not
// to exist.
var streamResourceID = lazyre.New(`EventSourceMapping(Kinesis|Dynamodb)|StreamConsumer$`)

// missingExtended reports every extension of a resource the template does
// not hold: Serverless stops at the first (RESOURCE_EXTENSION_NOT_EXISTING).
func missingExtended(ext *node.Node, exists func(id string) bool) diag.Findings {
	var fs diag.Findings
	if ext == nil {
		return nil
	}
	for _, res := range ext.Pairs {
		if !exists(res.Key.Str) {
			fs = append(fs, finding(res.Key, fmt.Sprintf(
				"Serverless cannot extend %q: the template has no such resource (RESOURCE_EXTENSION_NOT_EXISTING)", res.Key.Str)))
		}
	}
	return fs
}

// extendResource returns resource with the extension ext applied, as a
// copy: the compiled resources may be shared. The extension's nulls come
// last, as Serverless's validation round trip leaves them: `Metadata: ~`
// before `DeletionPolicy` still adds an empty Metadata after it.
func extendResource(resource, ext *node.Node) *node.Node {
	out := shallowCopy(resource)
	for _, a := range nullsLast(ext).Pairs {
		switch k := a.Key.Str; k {
		case "Properties", "Metadata":
			target := node.NewMap(a.Key.Range)
			if cur := out.Get(k); cur.IsMap() {
				target = shallowCopy(cur)
			}
			if a.Value.IsMap() {
				for _, p := range a.Value.Pairs {
					target.Set(p.Key.Str, p.Value)
				}
			}
			out.Set(k, target)
		case "DependsOn":
			out.Set(k, appendDependsOn(out.Get(k), a.Value, a.Key.Range))
		case "Condition", "DeletionPolicy", "UpdateReplacePolicy":
			out.Set(k, schemaString(a.Value))
		case "CreationPolicy", "UpdatePolicy":
			out.Set(k, a.Value)
		}
	}
	if props := out.Get("Properties"); props != nil {
		out.Set("Properties", stripNulls(props))
	}
	return out
}

// schemaString is a string-typed attribute after the schema's coercion;
// nulls skip validation and stay.
func schemaString(n *node.Node) *node.Node {
	if n.IsNull() {
		return n
	}
	return coerceString(n)
}

// appendDependsOn is DependsOn.push(...value): a missing list starts empty,
// a string becomes a one-item list, and the schema's array coercion has
// turned a string value into a one-item list.
func appendDependsOn(cur, value *node.Node, r diag.Range) *node.Node {
	out := node.NewSeq(r)
	switch {
	case cur.IsSeq():
		out.Items = append(out.Items, cur.Items...)
	case cur.IsString():
		out.Items = append(out.Items, cur)
	}
	switch {
	case value.IsSeq():
		out.Items = append(out.Items, value.Items...)
	case value.IsNull():
	default:
		out.Items = append(out.Items, value)
	}
	return out
}

// extendResources applies the extensions of the logical IDs in own to the
// resources map in place (each extended resource is a new value).
func extendResources(resources, ext *node.Node, own func(id string) bool) {
	if ext == nil {
		return
	}
	for _, e := range ext.Pairs {
		if !own(e.Key.Str) || !e.Value.IsMap() {
			continue
		}
		if p := resources.GetPair(e.Key.Str); p != nil {
			p.Value = extendResource(p.Value, e.Value)
		}
	}
}
