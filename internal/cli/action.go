package cli

import (
	"context"
	"fmt"

	"github.com/stream-events/stream-events/internal/action"
	"github.com/stream-events/stream-events/internal/exit"
)

const actionUsage = `Usage: stream-events action

Runs as the GitHub Action: reads its inputs from INPUT_* variables (the
runner sets INPUT_CONFIG, INPUT_ARTIFACT-NAME, ...; every input is
documented in action.yml), writes annotations and workflow commands to
stdout, outputs to $GITHUB_OUTPUT and the job summary to
$GITHUB_STEP_SUMMARY, and uploads the artifact. Run locally with the same
variables set, it behaves the same.
`

func runAction(ctx context.Context, env Env, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(env.Stdout, actionUsage)
		return nil
	}
	if len(args) > 0 {
		return exit.Usagef("action takes no arguments: it reads INPUT_* variables (see action.yml)")
	}
	return action.Run(ctx, action.Env{Stdout: env.Stdout, Getenv: env.Getenv, Environ: env.Environ, Dir: env.Dir, FS: env.FS, Version: version()})
}
