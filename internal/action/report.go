package action

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/confine"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/rules"
)

// logServices prints one foldable group per service with its findings in
// text form. Source snippets are user text, so they are fenced off with
// stop-commands: a YAML line starting with "::" must not act as a command.
func (a *action) logServices(services []*service) {
	for _, s := range services {
		if s.noStreams && len(s.findings) == 0 {
			a.r.logf("%s: service %s, stage %s: no stream events, so no template", s.config, s.name, s.stage)
			continue
		}
		a.r.group(fmt.Sprintf("%s: service %s, stage %s: %s", s.config, s.name, s.stage, countText(s.findings)))
		switch {
		case s.noStreams:
			a.r.logf("no template: the service has no stream events")
		case s.template == nil:
			a.r.logf("no template: the findings below must be fixed first")
		}
		if len(s.findings) > 0 {
			var buf bytes.Buffer
			_ = annotate.WriteText(&buf, s.findings, a.sources(s), false)
			a.r.fenced(buf.String())
		}
		a.r.endGroup()
	}
}

func countText(fs diag.Findings) string {
	return fmt.Sprintf("%d error(s), %d warning(s), %d notice(s)", fs.Count(diag.Error), fs.Count(diag.Warning), fs.Count(diag.Notice))
}

// sources maps workspace-relative paths to file contents, as findings name
// them.
func (a *action) sources(s *service) map[string][]byte {
	if s.sources == nil {
		return nil
	}
	out := make(map[string][]byte, len(s.sources))
	for p, data := range s.sources {
		out[a.ws.rel(files.Abs(a.ws.root, filepath.FromSlash(p)))] = data
	}
	return out
}

// templateNames gives each service's template a path that mirrors its
// config's, with a .template.json extension. serverless.yml and
// serverless.yaml side by side would both become serverless.template.json:
// the later one keeps its extension (serverless.yaml.template.json).
func templateNames(services []*service) {
	used := map[string]bool{}
	for _, s := range services {
		name := strings.TrimSuffix(s.config, pathExt(s.config)) + ".template.json"
		if used[name] {
			name = s.config + ".template.json"
		}
		for i := 2; used[name]; i++ { // configs whose redacted paths are the same
			name = fmt.Sprintf("%s.%d.template.json", s.config, i)
		}
		used[name] = true
		s.tplRel = name
	}
}

// templateFile is where a service's template goes below the template
// directory.
func (a *action) templateFile(s *service) string {
	return filepath.Join(a.templateDir, filepath.FromSlash(s.tplRel))
}

// writeTemplates writes every template it can: one that cannot be
// written (a symbolic link out of the workspace at its path) is an error
// annotation on its own, and the other files and outputs still follow.
func (a *action) writeTemplates(services []*service) error {
	var errs []error
	for _, s := range services {
		if s.template == nil {
			continue
		}
		p := a.templateFile(s)
		if err := a.writeFile(p, s.template, "template"); err != nil {
			errs = append(errs, err)
			continue
		}
		s.tplPath = a.ws.rel(p)
	}
	return exit.Combine(errs...)
}

// writeFile writes a file the Action produces, redacted, confined to the
// workspace or RUNNER_TEMP at every step (see confine.WriteFile, which
// also gives it the workspace's owner without following a link). A failure
// is annotated on the spot and returned silently, exit status 3.
func (a *action) writeFile(p string, data []byte, what string) error {
	err := confine.WriteFile(a.ws.rootOf(p), p, a.r.red.Bytes(data))
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the message names the file itself
	}
	a.r.ownError(nil, fmt.Sprintf("write %s %s: %v", what, a.ws.rel(p), err))
	return exit.Silent(exit.IO)
}

// report holds the machine-readable findings of every service.
type report struct {
	sarif, json []byte
	sarifRel    string // workspace-relative path of the SARIF file, or ""
}

func (a *action) writeReports(services []*service) (report, error) {
	var r report
	all := allFindings(services)
	src := map[string][]byte{}
	for _, s := range services {
		for p, data := range a.sources(s) {
			src[p] = data
		}
	}
	var sb, jb bytes.Buffer
	if err := annotate.WriteSARIF(&sb, all, rules.SARIF(), a.env.Version, src); err != nil {
		return r, exit.With(exit.IO, fmt.Errorf("encode SARIF: %w", err))
	}
	if err := annotate.WriteJSON(&jb, all); err != nil {
		return r, exit.With(exit.IO, fmt.Errorf("encode findings: %w", err))
	}
	r.sarif, r.json = a.r.red.Bytes(sb.Bytes()), a.r.red.Bytes(jb.Bytes())
	return r, nil
}

// writeSARIF writes the SARIF file, if one is asked for.
func (a *action) writeSARIF(r *report) error {
	if a.sarifPath == "" {
		return nil
	}
	if err := a.writeFile(a.sarifPath, r.sarif, "SARIF file"); err != nil {
		return err
	}
	r.sarifRel = a.ws.rel(a.sarifPath)
	return nil
}

// annotate queues the findings for annotation: finish emits them after the
// Action's own annotations, within what is left of GitHub's limits.
func (a *action) annotate(services []*service) {
	a.pending = allFindings(services)
}

// summaryBudget is GitHub's 1 MiB step-summary limit, less what earlier
// writes to the same file used and room for the artifact line.
func (a *action) summaryBudget() int {
	return max(annotate.DefaultSummaryBytes-1024-a.r.summarySize(), 4096)
}

func (a *action) summary(services []*service, r report) []byte {
	s := annotate.Summary{Title: "stream-events", Repo: a.gctx.repo, MaxBytes: a.summaryBudget(),
		FullReport: a.fullReport(r), FailOn: "never", Hazards: a.hazards(services)}
	if a.in.failOn != 0 {
		s.FailOn = a.in.failOn.String()
	}
	if a.autoSkipped != "" {
		s.Notes = append(s.Notes, a.autoSkipped)
	}
	for _, svc := range services {
		ss := annotate.ServiceSummary{Name: svc.name, ConfigPath: svc.config, Findings: svc.findings, Resources: svc.resources,
			NoStreamEvents: svc.noStreams}
		if svc.deploy != nil {
			ss.Deploy = svc.deploy.markdown()
		}
		ss.Deploy += a.planMarkdown(svc)
		s.Services = append(s.Services, ss)
	}
	var buf bytes.Buffer
	_ = annotate.WriteSummary(&buf, s)
	return a.r.red.Bytes(buf.Bytes())
}

func (a *action) fullReport(r report) string {
	var parts []string
	if r.sarifRel != "" {
		parts = append(parts, "the SARIF file "+r.sarifRel)
	}
	if a.in.artifactName != "" {
		parts = append(parts, "the artifact "+a.in.artifactName)
	}
	if len(parts) == 0 {
		return "The step log"
	}
	s := strings.Join(parts, " and ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// publish writes the job summary, uploads the artifact and sets outputs.
// The artifact carries the summary, so the summary's link to the
// artifact is appended after the upload.
func (a *action) publish(services []*service, r report) error {
	sum := a.summary(services, r)
	up, upErr := a.upload(services, r, sum)
	if line := up.markdown(); line != "" {
		sum = append(sum, []byte("\n"+line+"\n")...)
	}
	if err := a.r.appendSummary(sum); err != nil {
		upErr = exit.Combine(upErr, exit.With(exit.IO, err))
	}
	return exit.Combine(upErr, a.setOutputs(services, r, up))
}
