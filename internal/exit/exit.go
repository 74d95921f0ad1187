// Package exit maps errors to the exit statuses every command and the
// Action follow (as actionlint does): the one place that decides them.
package exit

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// Exit statuses.
const (
	OK       = 0 // done; no finding at or above the failure threshold
	Findings = 1 // the config cannot be compiled, or findings fail the run
	Usage    = 2 // bad command line or Action input
	IO       = 3 // a file, network or AWS failure

	// A run ended by a signal exits 128 plus the signal's number, as a
	// shell reports it: never 1, which would read as findings.
	Interrupted = 130 // SIGINT
	Terminated  = 143 // SIGTERM
)

// cancelledError is a run ended by a signal; it exits with Code.
type cancelledError struct {
	Signal string // "SIGINT"
	Code   int
}

func (e *cancelledError) Error() string { return "cancelled by " + e.Signal }

// Cancelled is the error of a run a signal ended, with its exit status
// (Interrupted, Terminated).
func Cancelled(signal string, code int) error { return &cancelledError{Signal: signal, Code: code} }

// IsCancelled reports whether err is, or wraps, a Cancelled error.
func IsCancelled(err error) bool {
	var ce *cancelledError
	return errors.As(err, &ce)
}

// usageError is a bad command line or input; it exits with Usage.
type usageError struct{ Msg string }

func (e *usageError) Error() string { return e.Msg }

// Usagef returns a usageError.
func Usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// statusError carries the exit status a command chose. An empty message
// means the reason was already reported.
type statusError struct {
	Code int
	Err  error
}

func (e *statusError) Error() string { return e.Err.Error() }
func (e *statusError) Unwrap() error { return e.Err }

// With gives err the status code.
func With(code int, err error) error { return &statusError{Code: code, Err: err} }

// Silent is a status whose reason was already reported.
func Silent(code int) error { return With(code, errors.New("")) }

// ErrFindings is returned when findings decide a non-zero exit; they have
// already been reported.
var ErrFindings = Silent(Findings)

// Code is the exit status for err: OK for nil and for -h, the chosen
// status of a statusError, Usage for a usageError, else IO.
func Code(err error) int {
	var ue *usageError
	var se *statusError
	var ce *cancelledError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return OK
	case errors.As(err, &ce):
		return ce.Code
	case errors.As(err, &ue):
		return Usage
	case errors.As(err, &se):
		return se.Code
	}
	return IO
}

// Message is what to report of err: "" when there is nothing more to say.
func Message(err error) string {
	var ue *usageError
	var se *statusError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ""
	case errors.As(err, &ue):
		return ue.Msg
	case errors.As(err, &se) && se.Err == nil:
		return ""
	case errors.As(err, &se):
		return se.Err.Error()
	}
	return err.Error()
}

// Combine merges errors into one: the highest status wins and every
// non-empty message is kept, in order.
func Combine(errs ...error) error {
	code, n := 0, 0
	var msgs []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		n++
		code = max(code, Code(err))
		if m := err.Error(); m != "" {
			msgs = append(msgs, m)
		}
	}
	if n == 0 {
		return nil
	}
	return With(code, errors.New(strings.Join(msgs, "; ")))
}
