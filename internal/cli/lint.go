package cli

import (
	"bytes"
	"io"
	"time"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

type lintFlags struct {
	configFlags
	format string
	out    string
	failOn string
}

func runLint(env Env, args []string) error {
	var f lintFlags
	fs := newFlagSet(env, "lint", "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--format text|json|sarif|github] [-o FILE] [--fail-on error|warning|never]")
	f.register(fs)
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json, sarif or github")
	fs.StringVar(&f.out, "o", "", "write findings to `file` instead of stdout")
	fs.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding at or above this `severity` exists: error, warning or never")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	threshold, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if !validFormat(f.format) {
		return usagef("--format must be text, json, sarif or github, not %q", f.format)
	}
	cfg, err := loadConfig(env, &f.configFlags, nil, env.Ctx)
	if err != nil {
		return err
	}
	findings := lintConfig(cfg, time.Now())
	var buf bytes.Buffer
	color := env.StdoutTerminal && f.out == "" && f.format == "text"
	if err := writeFindings(&buf, f.format, findings, cfg.Sources, color); err != nil {
		return ioError(err)
	}
	if f.out == "" {
		if _, err := io.Copy(env.Stdout, &buf); err != nil {
			return ioError(err)
		}
	} else if err := env.FS.WriteFile(absPath(env.Dir, f.out), buf.Bytes()); err != nil {
		return ioError(err)
	}
	if threshold != 0 && findings.AtLeast(threshold) {
		return findingsFail
	}
	return nil
}

// lintConfig returns every finding for a loaded config: the loader's and
// the linter's, sorted.
func lintConfig(cfg *loader.Config, now time.Time) diag.Findings {
	findings := append(diag.Findings{}, cfg.Findings...)
	if cfg.Root != nil {
		findings = append(findings, lint.Lint(cfg.Root, lint.Options{Now: now, Stage: cfg.Stage})...)
	}
	return findings.Sorted()
}

func parseFailOn(s string) (diag.Severity, error) {
	switch s {
	case "never":
		return 0, nil
	case "error", "warning", "notice":
		sev, _ := diag.ParseSeverity(s)
		return sev, nil
	}
	return 0, usagef("--fail-on must be error, warning or never, not %q", s)
}

func validFormat(f string) bool {
	switch f {
	case "text", "json", "sarif", "github":
		return true
	}
	return false
}

func writeFindings(w io.Writer, format string, fs diag.Findings, src map[string][]byte, color bool) error {
	switch format {
	case "json":
		return annotate.WriteJSON(w, fs)
	case "sarif":
		return annotate.WriteSARIF(w, fs, RuleInfos(), Version, src)
	case "github":
		return annotate.WriteGitHub(w, fs)
	}
	return annotate.WriteText(w, fs, src, color)
}

// RuleInfos describes every rule for SARIF: the linter's, then those of the
// loader, the variable resolver and the compiler.
func RuleInfos() []annotate.RuleInfo {
	var out []annotate.RuleInfo
	for _, r := range lint.Rules() {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity, Description: r.Description, HelpURI: r.HelpURI})
	}
	for _, r := range OtherRules {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity, Description: r.Description, HelpURI: lint.HelpBase + "#" + r.ID})
	}
	return out
}

// OtherRules are the findings that do not come from the linter.
var OtherRules = []lint.Rule{
	{ID: yamlsrc.Rule, Severity: diag.Error, Description: "The file is not valid YAML as Serverless reads it (js-yaml with the CloudFormation schema): a syntax error, a duplicate key, an unknown tag, more than one document, or runaway alias expansion."},
	{ID: loader.RuleConfigFile, Severity: diag.Error, Description: "The configuration file cannot be used: not found, JavaScript or TypeScript (which cannot be read statically), or not a mapping."},
	{ID: vars.RuleUnresolved, Severity: diag.Error, Description: "A variable has no value and no fallback, or its source failed."},
	{ID: vars.RuleRemote, Severity: diag.Warning, Description: "A variable needs AWS (cf, ssm, s3, aws:accountId) or a plugin source and is left unresolved offline; deploy resolves the AWS ones with credentials."},
	{ID: vars.RuleSecretEnv, Severity: diag.Error, Description: "An ${env:...} variable names a credential or runtime token, which would end up in a template or artifact; it is never resolved."},
	{ID: vars.RuleCycle, Severity: diag.Error, Description: "Variables refer to each other in a cycle, or nest deeper than the resolver allows."},
	{ID: vars.RuleSyntax, Severity: diag.Error, Description: "A variable is malformed (unterminated, bad parameters or address)."},
	{ID: vars.RuleFile, Severity: diag.Error, Description: "A ${file(...)} variable reads a file outside the repository root, or a file that cannot be read or parsed."},
	{ID: compile.Rule, Severity: diag.Error, Description: "A stream event cannot be compiled: Serverless v3 would stop or crash with a JavaScript TypeError on it, it needs an unresolved variable, or (standalone mode) two events compile to one logical ID."},
	{ID: compile.BaseRule, Severity: diag.Error, Description: "The --base template is not a CloudFormation template with Resources, or lacks the IamRoleLambdaExecution statements the stream statements go into."},
	{ID: secretRule, Severity: diag.Error, Description: "The Action refuses a compiled template that holds a credential or token (the value of a credential variable, or a token-shaped value): it would be written to disk, uploaded as an artifact and sent to AWS."},
	{ID: compile.RoleRule, Severity: diag.Error, Description: "Standalone mode cannot name the execution role its stream policy attaches to (a role given as a logical ID or an intrinsic); give a role ARN, a literal RoleName, or --role-name."},
}
