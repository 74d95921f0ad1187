// Command stream-events compiles, lints and deploys the DynamoDB and Kinesis
// stream events of a Serverless Framework v3 serverless.yml. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/stream-events/stream-events/internal/cli"
)

func main() {
	// A cancelled GitHub job sends SIGINT then SIGTERM: both cancel the
	// context so a deploy can clean up and report before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	dir, _ := os.Getwd()
	code := cli.Main(ctx, cli.Env{
		Args:           os.Args[1:],
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		Getenv:         os.LookupEnv,
		Environ:        os.Environ,
		Dir:            dir,
		StdoutTerminal: isTerminal(os.Stdout),
		StderrTerminal: isTerminal(os.Stderr),
	})
	stop()
	os.Exit(code)
}

// isTerminal reports a character device, unless NO_COLOR asks for none.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
}
