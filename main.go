// Command stream-events compiles, lints and deploys the DynamoDB and Kinesis
// stream events of a Serverless Framework v3 serverless.yml. See README.md.
package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/stream-events/stream-events/internal/cli"
	"github.com/stream-events/stream-events/internal/exit"
)

func main() {
	tuneGC(os.LookupEnv)
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

// gcFreeHeap is the heap a command may allocate before the first garbage
// collection. Most of a compile's heap stays live to the end (the config,
// then the template), so the collections the runtime starts at 4, 8, 16 MB
// of a short-lived process find little to free. Measured on the benchmark
// service: 1000 functions (about 55 MB allocated then) were collected once
// or twice and stayed under 60 MB of resident memory, with a tenth less
// CPU; 40 MiB saved nothing, 56 MiB reached 64 MB. Now that they allocate
// about 30 MB, they are not collected after start-up at all (64 MiB
// measured the same); only the collection the AWS SDK's initialisation
// starts, before main, remains.
const gcFreeHeap = 48 << 20

// tuneGC turns the collector off until the heap reaches gcFreeHeap; after
// that first collection it is back to the runtime's default (GOGC=100, no
// memory limit), so a larger service grows its heap in proportion as
// before instead of being collected again and again at a fixed limit. A
// GOGC or GOMEMLIMIT the user set is kept as it is.
func tuneGC(getenv func(string) (string, bool)) {
	if _, ok := getenv("GOGC"); ok {
		return
	}
	if _, ok := getenv("GOMEMLIMIT"); ok {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcFreeHeap)
	// The first collection finds the sentinel unreachable and runs the
	// cleanup, which restores the defaults.
	sentinel := new([64]byte)
	runtime.AddCleanup(sentinel, func(struct{}) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}, struct{}{})
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
