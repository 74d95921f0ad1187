package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
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
}

// setOutputs writes the step outputs to GITHUB_OUTPUT. Every value is
// redacted; none can end its own entry early (see formatOutputs).
func (a *action) setOutputs(services []*service, r report, up uploaded) error {
	outs := a.outputs(services, r, up)
	for i := range outs {
		outs[i].value = a.red.String(outs[i].value)
	}
	if a.gctx.outputFile == "" {
		a.logf("GITHUB_OUTPUT is not set (not running in GitHub Actions); outputs are not written")
		return nil
	}
	data, err := formatOutputs(outs)
	if err != nil {
		return ioError(err)
	}
	if err := appendFile(a.gctx.outputFile, data); err != nil {
		return ioError(fmt.Errorf("write outputs: %w", err))
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
			Template: s.tplPath, Errors: s.findings.Count(diag.Error), Warnings: s.findings.Count(diag.Warning)})
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
