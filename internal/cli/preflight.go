package cli

import (
	"context"
	"fmt"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/preflight"
)

// runPreflight checks the account before any change set: problems are
// findings at the stream events (exit 1); a read the credentials may not
// do fails with the IAM action to grant (exit 3).
func runPreflight(ctx context.Context, env Env, cfg *loader.Config, tpl *pipeline.Template, stack, serverless string, acct preflight.Account) error {
	if serverless == "" {
		serverless = pipeline.ServerlessStackName(tpl.Result.Service)
	}
	fs, err := tpl.Preflight(ctx, acct, stack, serverless)
	if err != nil {
		return exit.With(exit.IO, fmt.Errorf("pre-flight: %w", err))
	}
	if len(fs) == 0 {
		return nil
	}
	_ = annotate.WriteText(env.Stderr, fs, cfg.Sources, env.StderrTerminal)
	if n := fs.Count(diag.Error); n > 0 {
		return exit.With(exit.Findings, fmt.Errorf("not deploying: the pre-flight found %d problem(s); no change set was created (--no-preflight skips it)", n))
	}
	return nil
}
