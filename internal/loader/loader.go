// Package loader finds a Serverless service configuration, reads it with
// positions (yamlsrc) and resolves its variables (vars), the way
// Serverless v3 finds and reads serverless.yml.
package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/confine"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/pathx"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// RuleConfigFile is the finding rule for a configuration that is not an
// object.
const RuleConfigFile = "config-file"

// Rules describes the rules of this package for the registry
// (internal/rules).
func Rules() []diag.Rule {
	return []diag.Rule{
		{ID: RuleConfigFile, Severity: diag.Error, Fatal: true,
			Summary:     "no usable config (missing, JS/TS, not a mapping)",
			Description: "The configuration file cannot be used: not found, JavaScript or TypeScript (which cannot be read statically), or not a mapping; in the Action, a path holding a control character, or (a warning) a file the config glob matched that is no serverless.yml, .yaml or .json.",
			Help:        "Point `--config` (the Action's `config` input) at a `serverless.yml`, `.yaml` or `.json` whose top level is a mapping. A `serverless.js` or `.ts` is code that only Node.js can run: keep a YAML or JSON copy of the configuration for stream-events."},
	}
}

// extensions is the order in which Serverless v3 looks for
// serverless.<ext> (lib/cli/resolve-configuration-path.js).
var extensions = []string{"yml", "yaml", "json", "js", "mjs", "cjs", "ts"}

var static = map[string]bool{"yml": true, "yaml": true, "json": true}

// Find returns the configuration path: flag (-c/--config) when given,
// else serverless.yml, serverless.yaml or serverless.json in dir, in
// Serverless's order. A JavaScript or TypeScript configuration is an
// error: it cannot be read statically. stat reports whether a file exists.
// The path is returned as the user gave it: joined to dir when relative.
func Find(dir, flag string, stat func(string) bool) (string, error) {
	if flag != "" {
		p := flag
		if !filepath.IsAbs(p) && dir != "" && dir != "." {
			p = filepath.Join(dir, p)
		}
		ext := strings.TrimPrefix(filepath.Ext(p), ".")
		known := false
		for _, e := range extensions {
			known = known || e == ext
		}
		if !known {
			return "", fmt.Errorf(`invalid "--config" value %q: unsupported file extension (expected one of: %s)`, flag, strings.Join(extensions, ", "))
		}
		if !stat(p) {
			return "", fmt.Errorf(`invalid "--config" value: cannot find %q`, flag)
		}
		if !static[ext] {
			return "", notStatic(p)
		}
		return p, nil
	}
	for _, ext := range extensions {
		p := "serverless." + ext
		if dir != "" && dir != "." {
			p = filepath.Join(dir, p)
		}
		if !stat(p) {
			continue
		}
		if !static[ext] {
			return "", notStatic(p)
		}
		return p, nil
	}
	where := dir
	if where == "" {
		where = "."
	}
	return "", fmt.Errorf("no serverless.yml, serverless.yaml or serverless.json in %q; pass the configuration with --config", filepath.ToSlash(where))
}

func notStatic(p string) error {
	return fmt.Errorf("%s is JavaScript/TypeScript, which cannot be read statically; write it out as YAML with \"serverless print --format yaml > serverless.yml\" (run where %s is) and use that file", filepath.ToSlash(p), filepath.Base(p))
}

// Config is a loaded configuration.
type Config struct {
	Path   string // as given, forward slashes: the file name in every range
	Source []byte
	Root   *node.Node // nil when the file could not be parsed at all
	// Stage and Region are the effective stage and region.
	Stage, Region string
	Findings      diag.Findings
	// Sources holds every file read (the configuration and files read by
	// ${file(...)}), by the name used in ranges, for snippets.
	Sources map[string][]byte
}

// Load reads, parses and resolves the configuration at path. The error is
// only for I/O failures; everything about the content is a finding.
// o.ServiceDir defaults to the configuration's folder, o.Root to the
// working directory when the service is inside it (else the service
// folder), and o.ReadFile to confine.Reader: regular files inside o.Root,
// symbolic links followed, up to confine.MaxFileSize. Without o.ReadFile
// the configuration itself must be a regular file up to
// confine.MaxConfigSize.
func Load(path string, o vars.Options) (*Config, error) {
	// The caller's reader (a working directory other than the process's, a
	// test's files) reads the config too, not only the files it includes.
	readMain := func(p string) ([]byte, error) { return confine.ReadRegular(p, confine.MaxConfigSize) }
	if o.ReadFile != nil {
		readMain = o.ReadFile
	}
	data, err := readMain(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	name := filepath.ToSlash(path)
	c := &Config{Path: name, Source: data, Sources: map[string][]byte{name: data}}
	root, fs := yamlsrc.Parse(name, data)
	// Serverless's read.js passes the parsed config through JSON.
	root = node.JSONRoundTrip(root)
	c.Findings = append(c.Findings, fs...)
	if root == nil {
		c.Findings = c.Findings.Sorted()
		return c, nil
	}
	if !root.IsMap() {
		c.Findings = append(c.Findings, diag.Finding{
			Rule: RuleConfigFile, Severity: diag.Error, Range: root.Range,
			Message: fmt.Sprintf("Invalid configuration at %q: Plain object expected, not %s", filepath.Base(path), root.Kind),
		})
	}
	if o.ServiceDir == "" {
		o.ServiceDir = filepath.Dir(path)
	}
	if o.Root == "" {
		o.Root = defaultRoot(o.ServiceDir)
	}
	read := o.ReadFile
	if read == nil {
		read = confine.Reader(o.Root, confine.MaxFileSize)
	}
	o.ReadFile = func(p string) ([]byte, error) {
		b, err := read(p)
		if err == nil {
			c.Sources[filepath.ToSlash(p)] = b
		}
		return b, err
	}
	o, env := withDotenv(root, o, read)
	if env != nil {
		c.Sources[env.file] = env.src
	}
	res := vars.Resolve(root, o)
	c.Root, c.Stage, c.Region = mergeArrays(res.Root), res.Stage, res.Region
	c.Findings = append(append(c.Findings, res.Findings...), env.findings()...).Sorted()
	return c, nil
}

// defaultRoot is the working directory when dir is inside it, else dir.
func defaultRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	wd, err2 := os.Getwd()
	if err != nil || err2 != nil {
		return dir
	}
	if pathx.Within(wd, abs) {
		return "."
	}
	return dir
}

// mergeArrays mirrors Service.mergeArrays of Serverless v3, applied when the
// service loads, before validation and compilation: `functions:` and
// `resources:` written as lists of mappings are merged (_.merge) into one
// mapping. The result shares the items' nodes, so positions are kept.
func mergeArrays(root *node.Node) *node.Node {
	if !root.IsMap() {
		return root
	}
	for i, p := range root.Pairs {
		if (p.Key.Str != "functions" && p.Key.Str != "resources") || !p.Value.IsSeq() {
			continue
		}
		merged := node.NewMap(p.Value.Range)
		ok := true
		for _, it := range p.Value.Items {
			switch {
			case it.IsNull():
			case it.IsMap():
				node.Merge(merged, it)
			default:
				ok = false // a scalar: Serverless stops; the schema reports it
			}
		}
		if ok {
			c := *root
			c.Pairs = append([]node.Pair(nil), root.Pairs...)
			c.Pairs[i].Value = merged
			root = &c
		}
	}
	return root
}
