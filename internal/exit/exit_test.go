package exit

import (
	"errors"
	"flag"
	"fmt"
	"testing"
)

func TestCodeAndMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantMsg  string
	}{
		{"no error", nil, OK, ""},
		{"help was asked for", flag.ErrHelp, OK, ""},
		{"usage", Usagef("--mode must be %s", "x"), Usage, "--mode must be x"},
		{"wrapped usage keeps its own message", fmt.Errorf("ctx: %w", Usagef("bad")), Usage, "bad"},
		{"chosen status", With(Findings, errors.New("not deploying")), Findings, "not deploying"},
		{"findings already reported", ErrFindings, Findings, ""},
		{"any other error is I/O", errors.New("disk full"), IO, "disk full"},
		{"wrapped status", fmt.Errorf("x: %w", Silent(IO)), IO, ""},
		{"SIGTERM", fmt.Errorf("deploy: %w", Cancelled("SIGTERM", Terminated)), Terminated, "deploy: cancelled by SIGTERM"},
		{"a signal outranks I/O", Combine(Silent(IO), Cancelled("SIGINT", Interrupted)), Interrupted, "cancelled by SIGINT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.wantCode {
				t.Errorf("Code = %d, want %d", got, tt.wantCode)
			}
			if got := Message(tt.err); got != tt.wantMsg {
				t.Errorf("Message = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

func TestCombine(t *testing.T) {
	t.Parallel()
	if Combine(nil, nil) != nil {
		t.Error("Combine of no errors is not nil")
	}
	err := Combine(nil, Usagef("bad input"), ErrFindings, errors.New("upload failed"))
	if Code(err) != IO || err.Error() != "bad input; upload failed" {
		t.Errorf("Combine = %d %q, want the highest status and both messages", Code(err), err)
	}
	if err := Combine(ErrFindings); Code(err) != Findings || Message(err) != "" {
		t.Errorf("Combine(ErrFindings) = %d %q", Code(err), Message(err))
	}
}
