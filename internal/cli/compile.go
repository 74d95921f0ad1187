package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

type compileFlags struct {
	configFlags
	skipEmpty bool // the Action: a service without stream events is skipped
	mode      string
	base      string
	out       string
	strict    bool
	roleName  string
}

func runCompile(env Env, args []string) error {
	var f compileFlags
	fs := newFlagSet(env, "compile", "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--mode standalone|serverless] [--base FILE] [-o FILE] [--strict] [--role-name ROLE]")
	f.register(fs)
	fs.StringVar(&f.mode, "mode", "standalone", "`standalone` (a template that deploys on its own) or serverless (what Serverless v3 adds to its template)")
	fs.StringVar(&f.base, "base", "", "serverless mode: merge into this `template` (written by serverless package without stream events)")
	fs.StringVar(&f.out, "o", "", "write the template to `file` instead of stdout")
	fs.BoolVar(&f.strict, "strict", false, "fail on schema errors before compiling, as configValidationMode: error does")
	fs.StringVar(&f.roleName, "role-name", "", "standalone mode: attach the stream policy to this IAM `role` for every function")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.mode != "standalone" && f.mode != "serverless" {
		return usagef("--mode must be standalone or serverless, not %q", f.mode)
	}
	if f.base != "" && f.mode != "serverless" {
		return usagef("--base works with --mode serverless")
	}
	cfg, err := loadConfig(env, &f.configFlags, nil, env.Ctx)
	if err != nil {
		return err
	}
	out, _, findings, err := compileService(env, cfg, f)
	printFindings(env.Stderr, findings)
	if err != nil {
		return err
	}
	if out == nil {
		return findingsFail
	}
	return writeOutput(env, f.out, out, f.mode != "serverless")
}

// compileService runs validation and compilation. A nil template means the
// config cannot be compiled; the findings say why.
func compileService(env Env, cfg *loader.Config, f compileFlags) (*node.Node, *compile.Result, diag.Findings, error) {
	findings := append(diag.Findings{}, cfg.Findings...)
	if cfg.Root == nil || cfg.Findings.HasRule(yamlsrc.Rule) || cfg.Findings.HasRule(loader.RuleConfigFile) {
		return nil, nil, findings, nil // the file itself is unusable, and already said why
	}
	// Lint and compile only read the resolved tree: on a large service,
	// running them side by side halves the wait on a two-core runner.
	type lintResult struct {
		findings diag.Findings
		blocking bool
	}
	linted := make(chan lintResult, 1)
	go func() {
		fs, blocking := lintForCompile(cfg, f)
		linted <- lintResult{fs, blocking}
	}()
	svc, lf := compile.Load(cfg.Root, cfg.Stage, cfg.Region)
	res := compile.Compile(svc)
	lr := <-linted
	findings = append(findings, lr.findings...)
	if lr.blocking {
		return nil, nil, findings, nil
	}
	findings = append(findings, lf...)
	findings = append(findings, res.Findings...)
	if lf.HasErrors() || res.Findings.HasErrors() {
		return nil, res, findings, nil
	}
	if f.mode == "serverless" && variablesStopServerless(cfg.Findings) {
		return nil, res, findings, nil
	}
	var tpl *node.Node
	var mf diag.Findings
	if f.mode == "serverless" {
		var base *node.Node
		if f.base != "" {
			data, err := env.FS.ReadFile(absPath(env.Dir, f.base))
			if err != nil {
				return nil, nil, findings, ioError(fmt.Errorf("read base template: %w", err))
			}
			var bf diag.Findings
			base, bf = yamlsrc.Parse(f.base, data)
			if bf.HasErrors() {
				return nil, nil, append(findings, bf...), nil
			}
		}
		tpl, mf = compile.ServerlessTemplate(res, base)
	} else {
		tpl, mf = compile.Standalone(res, compile.StandaloneOptions{RoleName: f.roleName, SkipEmpty: f.skipEmpty})
	}
	findings = append(findings, mf...)
	if mf.HasErrors() {
		return nil, res, findings, nil
	}
	return tpl, res, findings, nil
}

// variablesStopServerless reports variable findings that stop Serverless,
// which resolves every variable of the config and fails on any it cannot
// (issue 11): all but the remote sources it resolves with credentials, the
// secrets we refuse to read and files outside the repository it reads.
func variablesStopServerless(fs diag.Findings) bool {
	for _, x := range fs {
		if x.Severity != diag.Error {
			continue
		}
		switch x.Rule {
		case vars.RuleUnresolved, vars.RuleSyntax, vars.RuleCycle:
			return true
		case vars.RuleFile:
			if !strings.Contains(x.Message, "outside the repository root") {
				return true
			}
		}
	}
	return false
}

// deprecationRule is the linter's rule for the one deprecation Serverless
// prints about stream events.
const deprecationRule = "deprecated-consumer-naming"

// lintForCompile returns the lint findings compile reports, and whether
// they stop compilation. Serverless mode reports what Serverless itself
// prints (its schema and its deprecation) and stops on schema errors only in
// strict mode, as configValidationMode: error does. Standalone mode promises
// a template CloudFormation deploys, so every lint error stops it.
func lintForCompile(cfg *loader.Config, f compileFlags) (diag.Findings, bool) {
	var out diag.Findings
	blocking := false
	strict := f.strict || validationMode(cfg.Root) == "error"
	for _, x := range lint.Lint(cfg.Root, lint.Options{Stage: cfg.Stage}) {
		schema := strings.HasPrefix(x.Rule, "schema-") || x.Rule == deprecationRule
		standaloneErr := f.mode != "serverless" && x.Severity == diag.Error
		if schema || standaloneErr {
			out = append(out, x)
		}
		if x.Severity == diag.Error && (standaloneErr || strict && schema) {
			blocking = true
		}
	}
	return out, blocking
}

func validationMode(root *node.Node) string {
	if v := root.Get("configValidationMode"); v.IsString() {
		return v.Str
	}
	return "warn"
}

// writeOutput writes a template: serverless mode byte for byte as Serverless
// writes it, standalone mode (cfn true) with the escapes CloudFormation's
// YAML-based tools need.
func writeOutput(env Env, path string, tpl *node.Node, cfn bool) error {
	if path == "" {
		err := writeIndent(env.Stdout, tpl, cfn)
		if err == nil {
			_, err = io.WriteString(env.Stdout, "\n")
		}
		if err != nil {
			return ioError(err)
		}
		return nil
	}
	// Byte-identical with the file serverless package writes: no final newline.
	if err := writeFileStreamed(env.FS, absPath(env.Dir, path), tpl, cfn); err != nil {
		return ioError(fmt.Errorf("write template: %w", err))
	}
	return nil
}

func writeIndent(w io.Writer, tpl *node.Node, cfn bool) error {
	if cfn {
		return tpl.WriteIndentCFN(w)
	}
	return tpl.WriteIndent(w)
}

// templateBytes renders a template as writeOutput does.
func templateBytes(tpl *node.Node, cfn bool) []byte {
	if cfn {
		return tpl.IndentCFN()
	}
	return tpl.Indent()
}

// writeFileStreamed writes tpl to a file, streamed where the file system
// can (the real one), else whole.
func writeFileStreamed(fsys FS, path string, tpl *node.Node, cfn bool) error {
	c, ok := fsys.(interface {
		Create(string) (io.WriteCloser, error)
	})
	if !ok {
		return fsys.WriteFile(path, templateBytes(tpl, cfn))
	}
	f, err := c.Create(path)
	if err != nil {
		return err
	}
	err = writeIndent(f, tpl, cfn)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
