package vars

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/pathx"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

type fileResult struct {
	content *node.Node // nil: the file does not exist
	err     *verr
	js      bool // a JavaScript file that exists
}

// fileSource is sources/file.js: YAML (with the CloudFormation tags) and
// JSON are parsed, JavaScript is not evaluated (left unresolved), anything
// else is read as text; the address walks into the content.
func (r *resolver) fileSource(c *call) (*node.Node, string, *verr) {
	if len(c.params) == 0 || !c.params[0].Truthy() {
		return nil, "", errorf(RuleUnresolved, `Missing path argument in variable "file" source`)
	}
	arg, ok := coerceString(c.params[0])
	if !ok || c.params[0].Kind == node.Seq {
		return nil, "", errorf(RuleUnresolved, `Non-string path argument in variable "file" source: %s`, shortString(c.params[0]))
	}
	path := filepath.Clean(filepath.FromSlash(arg))
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.o.ServiceDir, path)
	}
	if e := r.insideRoot(arg, path); e != nil {
		return nil, "", e
	}
	f := r.readFile(path)
	if f.err != nil {
		return nil, "", f.err
	}
	if f.js {
		return nil, "", &verr{pending: c.text, msg: fmt.Sprintf("%q needs JavaScript to be evaluated; it is not resolved offline", c.text)}
	}
	a, hasAddr := c.addr()
	if !hasAddr || f.content == nil {
		if e := unsupportedResult("file", f.content); e != nil {
			return nil, "", e
		}
		v, e := r.copy(f.content, c.st.n.Range)
		return v, "", e
	}
	cur := f.content
	for _, k := range strings.Split(a, ".") {
		if cur.Kind == node.String && strings.Contains(cur.Str, "${") {
			// resolveVariablesInString: a string met on the way is resolved
			// before it is indexed.
			vars, err := Parse(cur.Str)
			if err != nil {
				return nil, "", errorf(RuleSyntax, "%s", err.Error())
			}
			if vars != nil {
				v, e := r.resolveValue(cur.Str, vars, site{n: cur, exact: true}, c.path, 0, true)
				if e != nil {
					return nil, "", e
				}
				cur = v
			}
		}
		next := r.child(cur, k)
		if next == nil {
			cur = member(cur, k)
		} else {
			cur = *next
		}
		if cur.IsNull() {
			return nil, "", nil
		}
	}
	if e := unsupportedResult("file", cur); e != nil {
		return nil, "", e
	}
	v, e := r.copy(cur, c.st.n.Range)
	return v, "", e
}

// insideRoot refuses paths that leave the repository root: whatever they
// hold would end up in the template artifact.
func (r *resolver) insideRoot(arg, path string) *verr {
	if abs, err := filepath.Abs(path); err == nil && pathx.Within(r.absRoot, abs) {
		return nil
	}
	return errorf(RuleFile, "file(%s) is "+outsideRoot+" %q; only files inside it are read", arg, filepath.ToSlash(r.o.Root))
}

func (r *resolver) readFile(path string) fileResult {
	if f, ok := r.files[path]; ok {
		return f
	}
	f := r.load(path)
	r.files[path] = f
	return f
}

func (r *resolver) load(path string) fileResult {
	name := filepath.ToSlash(path)
	if r.o.ReadFile == nil {
		return fileResult{err: errorf(RuleFile, "Cannot read %q: file reading is not available", name)}
	}
	data, err := r.o.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fileResult{}
		}
		// The message names the file: the reader's own naming of it
		// (fs.PathError) would repeat it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fileResult{err: errorf(RuleFile, "Cannot parse %q: %v", name, err)}
	}
	// path.extname, case-sensitive: Streams.YML is plain text to Serverless.
	switch filepath.Ext(path) {
	case ".js", ".cjs":
		return fileResult{js: true}
	case ".json", ".tfstate":
		n, err := parseJSON(name, data)
		if err != nil {
			return fileResult{err: errorf(RuleFile, "Cannot parse %q: JSON parse error: %v", name, err)}
		}
		return fileResult{content: n}
	case ".yml", ".yaml":
		n, fs := yamlsrc.Parse(name, data)
		r.findings = append(r.findings, fs...)
		if n == nil || fs.HasErrors() {
			msg := "invalid content"
			if first := firstError(fs); first != "" {
				msg = first
			}
			return fileResult{err: errorf(RuleFile, "Cannot parse %q: %s", name, msg)}
		}
		return fileResult{content: n}
	}
	return fileResult{content: node.NewString(string(data), diag.Range{File: name, Start: diag.Pos{Line: 1, Col: 1}})}
}

func firstError(fs diag.Findings) string {
	for _, f := range fs {
		if f.Severity == diag.Error {
			return fmt.Sprintf("line %d: %s", f.Range.Start.Line, f.Message)
		}
	}
	return ""
}
