package cli

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/rules"
)

type lintFlags struct {
	configFlags
	format  string
	out     string
	failOn  string
	offline bool
}

func runLint(ctx context.Context, env Env, args []string) error {
	var f lintFlags
	fs := newFlagSet(env, "lint", "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--format text|json|sarif|github] [-o FILE] [--fail-on error|warning|never] [--offline]")
	f.register(fs)
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json, sarif or github")
	fs.StringVar(&f.out, "o", "", "write findings to `file` instead of stdout")
	fs.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding at or above this `severity` exists: error, warning or never")
	fs.BoolVar(&f.offline, "offline", false, "never call AWS: ${ssm:}, ${cf:}, ${s3:} and ${aws:accountId} take their fallback or stay unresolved (default: resolved with the AWS credentials the environment has, as deploy does)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	threshold, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if !validFormat(f.format) {
		return exit.Usagef("--format must be text, json, sarif or github, not %q", f.format)
	}
	cfg, err := pipeline.Load(ctx, f.request(env), "", remoteFor(ctx, env, f.offline))
	if err != nil {
		return err
	}
	findings := pipeline.LintAll(cfg, time.Now())
	var buf bytes.Buffer
	color := env.StdoutTerminal && f.out == "" && f.format == "text"
	if err := writeFindings(&buf, f.format, findings, cfg.Sources, color); err != nil {
		return err
	}
	if f.out == "" {
		if _, err := io.Copy(env.Stdout, &buf); err != nil {
			return err
		}
	} else if err := env.FS.WriteFile(files.Abs(env.Dir, f.out), buf.Bytes()); err != nil {
		return err
	}
	if threshold != 0 && findings.AtLeast(threshold) {
		return exit.ErrFindings
	}
	return nil
}

func parseFailOn(s string) (diag.Severity, error) {
	switch s {
	case "never":
		return 0, nil
	case "error", "warning", "notice":
		sev, _ := diag.ParseSeverity(s)
		return sev, nil
	}
	return 0, exit.Usagef("--fail-on must be error, warning or never, not %q", s)
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
		return annotate.WriteSARIF(w, fs, rules.SARIF(), version(), src)
	case "github":
		return annotate.WriteGitHub(w, fs)
	}
	return annotate.WriteText(w, fs, src, color)
}
