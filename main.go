// Command stream-events compiles, lints and deploys the DynamoDB and Kinesis
// stream events of a Serverless Framework v3 serverless.yml. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/stream-events/stream-events/internal/cli"
	"github.com/stream-events/stream-events/internal/exit"
)

func main() {
	ctx, stop := cancelOnSignal()
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

// grace is how long a command has after SIGINT or SIGTERM to finish on
// its own (a deploy deletes its change set, the Action writes its summary
// and outputs) before the process exits anyway: every command ends within
// 2 s of the signal, whatever it was doing.
const grace = 1200 * time.Millisecond

// cancelOnSignal returns a context that SIGINT and SIGTERM cancel, with
// exit.Cancelled as its cause. A cancelled GitHub job sends SIGINT, then
// SIGTERM; a command that has not returned grace after the first exits
// with the signal's status.
func cancelOnSignal() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig, ok := <-sigs
		if !ok {
			return
		}
		err := exit.Cancelled("SIGINT", exit.Interrupted)
		if sig == syscall.SIGTERM {
			err = exit.Cancelled("SIGTERM", exit.Terminated)
		}
		cancel(err)
		time.Sleep(grace)
		fmt.Fprintf(os.Stderr, "stream-events: %v; stopped after %s\n", err, grace)
		os.Exit(exit.Code(err))
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// isTerminal reports a character device, unless NO_COLOR asks for none.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
}
