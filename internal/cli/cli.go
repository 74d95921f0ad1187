// Package cli wires the commands to the process: flags, files, environment
// and network clients all enter here, and every other package receives them
// as values. Main returns an exit status instead of exiting, so tests run the
// whole tool in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses, the contract every command follows.
const (
	ExitOK       = 0 // done; no finding at or above the failure threshold
	ExitFindings = 1 // the config cannot be compiled, or findings fail the run
	ExitUsage    = 2 // bad command line
	ExitIO       = 3 // a file, network or AWS failure
)

// Version is stamped at build time with -ldflags "-X ...cli.Version=v1.2.3".
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
	FS             FS
	// Ctx is cancelled on SIGINT/SIGTERM.
	Ctx context.Context
}

// FS is the file access commands need; tests substitute a temp dir.
type FS interface {
	ReadFile(name string) ([]byte, error)
	WriteFile(name string, data []byte) error
	Stat(name string) bool
}

// OSFS is the real file system.
type OSFS struct{}

// ReadFile reads a file.
func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// WriteFile writes a file with 0644 permissions.
func (OSFS) WriteFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// Create opens a file for streaming writes, so a large template is never
// held in memory whole.
func (OSFS) Create(name string) (io.WriteCloser, error) { return os.Create(name) }

// Stat reports whether a regular file exists.
func (OSFS) Stat(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// usageError marks errors that exit with ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitError carries an exit status chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ioError marks I/O failures (exit 3).
func ioError(err error) error { return &exitError{code: ExitIO, err: err} }

const usage = `stream-events compiles, lints and deploys the DynamoDB and Kinesis stream
events of a Serverless Framework v3 serverless.yml.

Usage:
  stream-events compile [flags]   write the CloudFormation template
  stream-events lint [flags]      report problems with file:line:col positions
  stream-events deploy [flags]    deploy the standalone template via a change set
  stream-events action            run as a GitHub Action (reads INPUT_* variables)
  stream-events version           print the version

Run 'stream-events <command> -h' for a command's flags.
`

// Main runs one command and returns its exit status.
func Main(env Env) int {
	if env.FS == nil {
		env.FS = OSFS{}
	}
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	if env.Getenv == nil {
		env.Getenv = func(string) (string, bool) { return "", false }
	}
	if len(env.Args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	cmd, args := env.Args[0], env.Args[1:]
	var err error
	switch cmd {
	case "compile":
		err = runCompile(env, args)
	case "lint":
		err = runLint(env, args)
	case "deploy":
		err = runDeploy(env, args)
	case "action":
		err = runAction(env, args)
	case "version", "--version", "-version":
		if len(args) > 0 && args[0] != "-h" && args[0] != "--help" {
			fmt.Fprintf(env.Stderr, "stream-events: version takes no arguments\n")
			return ExitUsage
		}
		fmt.Fprintf(env.Stdout, "stream-events %s\n", Version)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
	default:
		fmt.Fprintf(env.Stderr, "stream-events: unknown command %q\n\n%s", cmd, usage)
		return ExitUsage
	}
	return exitCode(env, err)
}

func exitCode(env Env, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "stream-events: %s\n", ue.msg)
		return ExitUsage
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(env.Stderr, "stream-events: %s\n", ee.err)
		}
		return ee.code
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "stream-events: %s\n", err)
	return ExitIO
}

// findingsFail is returned when findings decide a non-zero exit; they have
// already been printed.
var findingsFail = &exitError{code: ExitFindings, err: errors.New("")}

// keyValues is a repeatable k=v flag.
type keyValues struct {
	name string
	m    map[string]string
	keys []string
}

func (kv *keyValues) String() string { return "" }

func (kv *keyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%s wants key=value, got %q", kv.name, s)
	}
	if kv.m == nil {
		kv.m = map[string]string{}
	}
	if _, dup := kv.m[k]; !dup {
		kv.keys = append(kv.keys, k)
	}
	kv.m[k] = v
	return nil
}
