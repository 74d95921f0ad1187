package yamlsrc

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Explicit "!!" tags are read as js-yaml 4 reads them with Serverless's
// CloudFormation schema (which extends js-yaml's default schema): a tag
// the schema does not know, or one written on a node of another kind, is
// "unknown tag", and a scalar its tag cannot resolve ("!!bool yes": YAML
// 1.2 has no yes) is "cannot resolve". js-yaml then refuses the whole file;
// here each is a positioned error. Checked against js-yaml 4.3.2.

// tagHint says what a scalar tag accepts, for "cannot resolve" findings.
var tagHint = map[string]string{
	"!!bool":      "true or false (YAML 1.2: yes, no, on and off are not booleans)",
	"!!int":       "a decimal, 0x, 0o or 0b integer without underscores",
	"!!float":     "a finite number, .inf, -.inf or .nan",
	"!!null":      "null, ~ or nothing",
	"!!timestamp": "a date (2024-01-31) or a date and time (2024-01-31T10:00:00Z)",
	"!!binary":    "base64",
	"!!merge":     "<<",
}

// collectionTags are the tags that apply to each kind of collection.
var collectionTags = map[yaml.Kind]map[string]bool{
	yaml.SequenceNode: {"!!seq": true, "!!omap": true, "!!pairs": true},
	yaml.MappingNode:  {"!!map": true, "!!set": true},
}

// explicitTag returns the tag written on y in its short form, or "".
func explicitTag(y *yaml.Node) string {
	if y.Style&yaml.TaggedStyle == 0 || y.Tag == "" {
		return ""
	}
	return y.ShortTag()
}

// unknownTag reports a tag Serverless's reader refuses.
func (p *parser) unknownTag(y *yaml.Node, tag string) {
	at := p.point(y.Line, y.Column)
	switch {
	case isLocal(tag):
		p.errorf(at, "unknown tag %q; Serverless knows only the CloudFormation short tags (!Ref, !GetAtt, !Sub...)", tag)
	case tag == "!!str" || tagHint[tag] != "" || collectionTags[yaml.SequenceNode][tag] || collectionTags[yaml.MappingNode][tag]:
		kind := map[yaml.Kind]string{yaml.ScalarNode: "a scalar", yaml.SequenceNode: "a sequence", yaml.MappingNode: "a mapping"}[y.Kind]
		p.errorf(at, "the tag %s does not apply to %s; Serverless's YAML reader (js-yaml) refuses the file", tag, kind)
	default:
		p.errorf(at, "unknown tag %s; Serverless's YAML reader (js-yaml) refuses the file: it knows the YAML 1.2 tags (!!str, !!int, !!map...) and the CloudFormation short tags only", tag)
	}
}

// taggedScalar resolves a scalar written with an explicit tag.
func (p *parser) taggedScalar(y *yaml.Node, tag string, r diag.Range) *node.Node {
	// js-yaml resolves a node with no content at all ("a: !!seq") as null
	// data, which the collection types turn into an empty collection.
	empty := y.Value == "" && y.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	switch tag {
	case "!!str":
		return p.alloc(node.Node{Kind: node.String, Str: y.Value, Range: r})
	case "!!seq", "!!omap", "!!pairs":
		if empty {
			return node.NewSeq(r)
		}
	case "!!map", "!!set":
		if empty {
			return node.NewMap(r)
		}
	case "!!merge":
		if empty {
			return node.NewNull(r)
		}
		if y.Value == "<<" {
			return node.NewString("<<", r)
		}
		return p.cannotResolve(y, tag, r)
	case "!!null", "!!bool", "!!int", "!!float", "!!timestamp", "!!binary":
		if n, ok := resolveTagged(tag, y.Value, empty, r); ok {
			return n
		}
		return p.cannotResolve(y, tag, r)
	}
	p.unknownTag(y, tag)
	if isLocal(tag) {
		return p.alloc(node.Node{Kind: node.String, Str: y.Value, Range: r}) // reported; kept as its text, as before
	}
	return node.NewNull(r) // never the text of a tag such as !!python/object
}

// isLocal reports a local tag ("!Foo"), as opposed to a "!!" or URI tag.
func isLocal(tag string) bool {
	return strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")
}

func (p *parser) cannotResolve(y *yaml.Node, tag string, r diag.Range) *node.Node {
	text := strconv.Quote(y.Value)
	if y.Value == "" && y.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 {
		text = "an empty value"
	}
	p.errorf(r, "cannot read %s as %s, which takes %s; Serverless's YAML reader (js-yaml) refuses the file", text, tag, tagHint[tag])
	return node.NewNull(r)
}

// resolveTagged resolves text by the js-yaml type of tag; empty is a node
// without content, which only !!null accepts.
func resolveTagged(tag, text string, empty bool, r diag.Range) (*node.Node, bool) {
	if empty {
		return node.NewNull(r), tag == "!!null"
	}
	switch tag {
	case "!!null":
		switch text {
		case "~", "null", "Null", "NULL":
			return node.NewNull(r), true
		}
	case "!!bool":
		switch text {
		case "true", "True", "TRUE":
			return node.NewBool(true, r), true
		case "false", "False", "FALSE":
			return node.NewBool(false, r), true
		}
	case "!!int":
		if f, ok := jsInteger(text); ok {
			return node.NewNumber(f, r), true
		}
	case "!!float":
		if f, ok := jsFloatValue(text); ok {
			return node.NewNumber(f, r), true
		}
	case "!!timestamp":
		if t, ok := parseTimestamp(text); ok {
			return node.NewString(t.UTC().Format("2006-01-02T15:04:05.000Z"), r), true
		}
	case "!!binary":
		if b, ok := decodeBinary(text); ok {
			// A Uint8Array, which JSON and Serverless see as an object
			// with a key per byte.
			m := node.NewMap(r)
			m.Pairs = make([]node.Pair, len(b))
			for i, c := range b {
				m.Pairs[i] = node.Pair{Key: node.NewString(strconv.Itoa(i), r), Value: node.NewNumber(float64(c), r)}
			}
			return m, true
		}
	}
	return nil, false
}

const base64Map = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r"

// decodeBinary is js-yaml's !!binary: base64 in which line breaks are
// ignored and padding is counted, not checked for place.
func decodeBinary(text string) ([]byte, bool) {
	bits := 0
	for i := 0; i < len(text); i++ {
		code := strings.IndexByte(base64Map, text[i])
		if code < 0 {
			return nil, false
		}
		if code <= 64 {
			bits += 6
		}
	}
	if bits%8 != 0 {
		return nil, false
	}
	input := strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '=' {
			return -1
		}
		return r
	}, text)
	var out []byte
	acc := 0
	for i := 0; i < len(input); i++ {
		if i%4 == 0 && i > 0 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
		}
		acc = acc<<6 | strings.IndexByte(base64Map, input[i])
	}
	switch len(input) % 4 * 6 {
	case 0:
		if len(input) > 0 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
		}
	case 18:
		out = append(out, byte(acc>>10), byte(acc>>2))
	case 12:
		out = append(out, byte(acc>>4))
	}
	return out, true
}

// collectionTag applies an explicit tag to the collection n built from y:
// !!omap and !!pairs are lists of one-key mappings (!!pairs becomes a list
// of [key, value] lists), !!set a mapping of nulls.
func (p *parser) collectionTag(y *yaml.Node, n *node.Node) *node.Node {
	tag := explicitTag(y)
	if tag == "" || tag == "!!seq" && y.Kind == yaml.SequenceNode || tag == "!!map" && y.Kind == yaml.MappingNode {
		return n
	}
	if !collectionTags[y.Kind][tag] {
		p.unknownTag(y, tag)
		if isLocal(tag) {
			return n
		}
		return node.NewNull(n.Range)
	}
	ok := true
	switch tag {
	case "!!omap", "!!pairs":
		seen := map[string]bool{}
		for i, it := range n.Items {
			if !it.IsMap() || len(it.Pairs) != 1 || tag == "!!omap" && seen[it.Pairs[0].Key.Str] {
				ok = false
				break
			}
			seen[it.Pairs[0].Key.Str] = true
			if tag == "!!pairs" {
				n.Items[i] = node.NewSeq(it.Range, it.Pairs[0].Key, it.Pairs[0].Value)
			}
		}
	case "!!set":
		for _, pr := range n.Pairs {
			ok = ok && pr.Value.IsNull()
		}
	}
	if !ok {
		hint := map[string]string{"!!omap": "a list of one-key mappings with distinct keys", "!!pairs": "a list of one-key mappings", "!!set": "a mapping whose values are all null"}[tag]
		p.errorf(n.Range, "cannot read this %s as %s, which takes %s; Serverless's YAML reader (js-yaml) refuses the file", n.Kind, tag, hint)
		return node.NewNull(n.Range)
	}
	return n
}
