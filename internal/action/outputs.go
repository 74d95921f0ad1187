package action

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
)

// serviceOutput is one entry of the services output, for matrix fan-out.
type serviceOutput struct {
	Config   string `json:"config"`
	Service  string `json:"service"`
	Stage    string `json:"stage"`
	Region   string `json:"region"`
	Template string `json:"template,omitempty"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Notices  int    `json:"notices"`
}

// setOutputs writes the step outputs to GITHUB_OUTPUT.
func (a *action) setOutputs(services []*service, r report, up uploaded) error {
	err := a.r.setOutputs(a.outputs(services, r, up))
	switch {
	case errors.Is(err, errNoOutputFile):
		a.r.logf("GITHUB_OUTPUT is not set (not running in GitHub Actions); outputs are not written")
		return nil
	case err != nil:
		return exit.With(exit.IO, err)
	}
	return nil
}

func (a *action) outputs(services []*service, r report, up uploaded) []output {
	var paths []string
	var svcs []serviceOutput
	for _, s := range services {
		if s.tplPath != "" {
			paths = append(paths, s.tplPath)
		}
		svcs = append(svcs, serviceOutput{Config: s.config, Service: s.name, Stage: s.stage, Region: s.region,
			Template: s.tplPath, Errors: s.findings.Count(diag.Error), Warnings: s.findings.Count(diag.Warning),
			Notices: s.findings.Count(diag.Notice)})
	}
	outs := []output{
		{"template-paths", strings.Join(paths, "\n")},
		{"errors", strconv.Itoa(countSeverity(services, diag.Error))},
		{"warnings", strconv.Itoa(countSeverity(services, diag.Warning))},
		{"notices", strconv.Itoa(countSeverity(services, diag.Notice))},
		{"sarif-file", r.sarifRel},
		{"services", mustJSON(svcs)},
	}
	if up.id != 0 {
		outs = append(outs, output{"artifact-id", strconv.FormatInt(up.id, 10)}, output{"artifact-url", up.url})
	}
	return append(outs, deployOutputs(services)...)
}

// mustJSON encodes values that cannot fail to encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs, strings and numbers reach here
	}
	return string(b)
}
