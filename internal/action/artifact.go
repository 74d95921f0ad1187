package action

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stream-events/stream-events/internal/artifact"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// uploaded is what the artifact upload did.
type uploaded struct {
	name string
	id   int64
	url  string
}

// markdown is the summary's line about the artifact, or "".
func (u uploaded) markdown() string {
	switch {
	case u.url != "":
		return fmt.Sprintf("Artifact: [%s](%s)", textsafe.Markdown(u.name), u.url)
	case u.id != 0:
		return fmt.Sprintf("Artifact: %s (id %d)", textsafe.Markdown(u.name), u.id)
	}
	return ""
}

// artifactFiles are the zip's entries: every template under templates/,
// the findings as SARIF and JSON, and the job summary.
func (a *action) artifactFiles(services []*service, r report, summary []byte) ([]artifact.File, error) {
	var files []artifact.File
	for _, s := range services {
		if s.template == nil {
			continue
		}
		name := "templates/" + s.tplRel
		if err := artifact.ValidatePath(name); err != nil {
			// A directory name the artifact service refuses, or one holding
			// a secret, now "***": the template is on disk all the same.
			a.r.ownWarning(fmt.Sprintf("the template of %s is not in the artifact: %v", s.config, err))
			continue
		}
		files = append(files, artifact.File{Name: name, Data: s.template})
	}
	files = append(files,
		artifact.File{Name: "findings.sarif", Data: r.sarif},
		artifact.File{Name: "findings.json", Data: r.json},
		artifact.File{Name: "summary.md", Data: summary})
	for i, f := range files {
		// The last guard (internal/redact): names and contents were
		// redacted before they were rendered.
		f.Name, f.Data = a.r.red.String(f.Name), a.r.red.Bytes(f.Data)
		files[i] = f
		if err := artifact.ValidatePath(f.Name); err != nil {
			return nil, fmt.Errorf("artifact entry %q: %w", f.Name, err)
		}
	}
	return files, nil
}

func pathExt(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.Contains(p[i:], "/") {
		return ""
	}
	return p[i:]
}

// upload stores the artifact. Where the artifact service is unavailable
// (GitHub Enterprise Server, a local run, an old runner) it warns and goes
// on: the files are on disk for actions/upload-artifact.
func (a *action) upload(services []*service, r report, summary []byte) (uploaded, error) {
	up := uploaded{name: a.in.artifactName}
	if up.name == "" {
		return up, nil
	}
	if a.ctx.Err() != nil { // cancelled: the runner is about to stop the step
		a.r.logf("artifact %s not uploaded: the run was cancelled", up.name)
		return up, nil
	}
	files, err := a.artifactFiles(services, r, summary)
	if err != nil {
		return up, exit.With(exit.IO, err)
	}
	zip, err := artifact.BuildZip(files)
	if err != nil {
		return up, exit.With(exit.IO, fmt.Errorf("build artifact zip: %w", err))
	}
	get := func(k string) string { v, _ := a.env.Getenv(k); return v }
	client, err := artifact.New(artifact.Config{ResultsURL: get("ACTIONS_RESULTS_URL"), RuntimeToken: get("ACTIONS_RUNTIME_TOKEN"),
		ServerURL: get("GITHUB_SERVER_URL"), UserAgent: "stream-events/" + a.env.Version,
		Mask: func(secret string) { a.r.mask(secret, "the artifact upload URL") }})
	if err != nil {
		return up, a.uploadFailed(services, err)
	}
	res, err := client.Upload(a.ctx, up.name, zip, a.retention())
	if err != nil {
		return up, a.uploadFailed(services, err)
	}
	up.id = res.ID
	if up.id != 0 && a.gctx.repo.Repository != "" && a.gctx.runID != "" {
		up.url = artifact.URL(a.gctx.repo.ServerURL, a.gctx.repo.Repository, a.gctx.runID, up.id)
	}
	a.r.logf("uploaded artifact %s (%d bytes, sha256 %s)", up.name, res.Size, res.SHA256)
	return up, nil
}

func (a *action) uploadFailed(services []*service, err error) error {
	switch {
	case artifact.IsUnavailable(err):
		a.r.ownWarning(a.r.red.String(fmt.Sprintf("artifact %s not uploaded: %v. %s; use actions/upload-artifact to keep them",
			a.in.artifactName, err, a.onDisk(services))))
		return nil
	case artifact.IsConflict(err):
		return exit.With(exit.IO, fmt.Errorf("upload artifact %s: this run already has an artifact of that name; give each step or matrix job its own artifact-name: %w", a.in.artifactName, err))
	}
	return exit.With(exit.IO, fmt.Errorf("upload artifact %s: %w", a.in.artifactName, err))
}

// onDisk says where the files the artifact would have held are: the
// templates in template-dir, the findings in the SARIF file if one is
// written (else only in the summary and the log).
func (a *action) onDisk(services []*service) string {
	s := "No template was written"
	if slices.ContainsFunc(services, func(s *service) bool { return s.tplPath != "" }) {
		s = "The templates are in " + a.ws.rel(a.templateDir)
	}
	if a.sarifPath == "" {
		return s + "; the findings are only in the job summary and the step log"
	}
	return s + "; the findings are in " + a.ws.rel(a.sarifPath)
}

// retention clamps artifact-retention-days to the repository's maximum,
// as actions/upload-artifact does.
func (a *action) retention() int {
	days, limit := a.in.retentionDays, a.gctx.retentionDays
	if days > 0 && limit > 0 && days > limit {
		a.r.ownWarning(fmt.Sprintf("artifact-retention-days %d is more than this repository allows; using %d", days, limit))
		return limit
	}
	return days
}
