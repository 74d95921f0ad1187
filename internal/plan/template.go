package plan

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// TemplateRule reports a previous template that cannot be read.
const TemplateRule = "plan-template"

// ParseTemplate reads a previous template, JSON or YAML with CloudFormation
// short tags: a template itself, or the output of GetTemplate (the
// template in TemplateBody, as an object or as the template's text). file
// names the document in findings. A nil template comes with an error
// finding.
func ParseTemplate(file string, data []byte) (*node.Node, diag.Findings) {
	t, fs := yamlsrc.Parse(file, data)
	if fs.HasErrors() {
		return nil, fs
	}
	if body := t.Get("TemplateBody"); body != nil && t.Get("Resources") == nil {
		switch {
		case body.IsString():
			// The API returns the template as text; YAML ranges inside it
			// would be relative to that text, so they name the body.
			inner, more := yamlsrc.Parse(file, []byte(body.Str))
			fs = append(fs, more...)
			if more.HasErrors() {
				return nil, fs
			}
			t = inner
		default:
			t = body
		}
	}
	if !t.IsMap() || !(t.Get("Resources").IsMap() || t.Get("Resources") == nil) {
		var r diag.Range
		if t != nil {
			r = t.Range
		}
		return nil, append(fs, diag.Finding{Rule: TemplateRule, Severity: diag.Error, Range: r,
			Message: "the previous template is not a CloudFormation template (an object whose Resources is an object)"})
	}
	return t, fs
}
