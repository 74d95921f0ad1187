package cli

import (
	"bytes"
	"io"
	"time"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
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
	color := env.Terminal && f.out == "" && f.format == "text"
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

// RuleInfos describes every rule for SARIF: the linter's, and the loader's
// and compiler's own.
func RuleInfos() []annotate.RuleInfo {
	var out []annotate.RuleInfo
	for _, r := range lint.Rules() {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity, Description: r.Description, HelpURI: r.HelpURI})
	}
	return out
}
