package action

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/account"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/pipeline"
)

// preflight checks the account before any change set (input preflight):
// each problem is a finding at its stream event, annotated with the
// service's others.
func (a *action) preflight(s *service, o *deployOutcome, tpl *pipeline.Template, cfg aws.Config) error {
	if !a.in.preflight {
		return nil
	}
	serverless := a.in.serverlessStack
	if serverless == "" {
		serverless = pipeline.ServerlessStackName(tpl.Result.Service)
	}
	fs, err := tpl.Preflight(a.ctx, account.NewFromConfig(cfg), o.stack, serverless)
	if err != nil {
		return exit.With(exit.IO, fmt.Errorf("%s: pre-flight: %w", s.config, err))
	}
	if len(fs) == 0 {
		return nil
	}
	s.findings = append(s.findings, fs...).Sorted()
	a.pending = append(a.pending, fs...)
	if n := fs.Count(diag.Error); n > 0 {
		return exit.With(exit.Findings, fmt.Errorf("%s: the pre-flight found %d problem(s), no change set was created: %s", s.config, n, firstError(fs)))
	}
	return nil
}
