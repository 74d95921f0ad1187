// Package cli wires the commands to the process: flags, files, environment
// and network clients all enter here, and every other package receives them
// as values. Main returns an exit status instead of exiting, so tests run the
// whole tool in-process.
package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// Version is stamped at build time with -ldflags "-X ...cli.Version=v1.2.3"
// (the Dockerfile does); see version for what an unstamped build reports.
var Version = "dev"

// Env is everything a command may touch of the process.
type Env struct {
	Args   []string // without the program name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) (string, bool)
	Dir    string // working directory
	// StdoutTerminal and StderrTerminal report that the stream is a
	// terminal (and NO_COLOR is unset): only then is colour written to it.
	StdoutTerminal bool
	StderrTerminal bool
	FS             files.FS // nil: the real file system

	// Environ lists every variable (os.Environ): the Action names the
	// INPUT_* ones it does not read. nil skips that check.
	Environ func() []string
}

const usage = `stream-events compiles, lints and deploys the DynamoDB and Kinesis stream
events of a Serverless Framework v3 serverless.yml.

Usage:
  stream-events compile [flags]   write the CloudFormation template
  stream-events lint [flags]      report problems with file:line:col positions
  stream-events deploy [flags]    deploy the standalone template via a change set
  stream-events plan [flags]      show what a deploy changes in the stream resources
  stream-events action            run as a GitHub Action (reads INPUT_* variables)
  stream-events version           print the version

Run 'stream-events <command> -h' for a command's flags.
`

// Main runs one command and returns its exit status (see internal/exit).
// ctx is cancelled on SIGINT/SIGTERM.
func Main(ctx context.Context, env Env) int {
	if env.FS == nil {
		env.FS = files.OS{}
	}
	if env.Getenv == nil {
		env.Getenv = func(string) (string, bool) { return "", false }
	}
	if len(env.Args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return exit.Usage
	}
	cmd, args := env.Args[0], env.Args[1:]
	var err error
	switch cmd {
	case "compile":
		err = runCompile(ctx, env, args)
	case "lint":
		err = runLint(ctx, env, args)
	case "deploy":
		err = runDeploy(ctx, env, args)
	case "plan":
		err = runPlan(ctx, env, args)
	case "action":
		err = runAction(ctx, env, args)
	case "version", "--version", "-version":
		if len(args) > 0 && args[0] != "-h" && args[0] != "--help" {
			fmt.Fprintf(env.Stderr, "stream-events: version takes no arguments\n")
			return exit.Usage
		}
		fmt.Fprintf(env.Stdout, "stream-events %s\n", version())
	case "help", "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
	default:
		fmt.Fprintf(env.Stderr, "stream-events: unknown command %q\n\n%s", cmd, usage)
		return exit.Usage
	}
	if cause := context.Cause(ctx); ctx.Err() != nil && exit.IsCancelled(cause) {
		err = exit.Combine(err, cause) // its status wins: a cancelled run is never "findings"
	}
	return exitCode(env, err)
}

func exitCode(env Env, err error) int {
	if msg := exit.Message(err); msg != "" { // it may quote the config
		fmt.Fprintf(env.Stderr, "stream-events: %s\n", textsafe.Neutralize(msg))
	}
	return exit.Code(err)
}
