package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// run is the state of one Deploy call. It never stores a context.
type run struct {
	d       *Deployer
	in      Input
	caps    []string
	timeout time.Duration
	start   time.Time
	res     *Result

	stack     *types.Stack // last description of the stack, nil if absent
	stub      bool         // this run's CREATE change set made the stack
	csTried   bool         // CreateChangeSet was called (it may have succeeded)
	csCreated time.Time    // change set CreationTime, the event cutoff
	executed  bool         // ExecuteChangeSet succeeded
	phase     string       // what the run is waiting for, for interruption reports
}

// deploy is the happy path; Deploy handles interruption and cleanup.
func (r *run) deploy(ctx context.Context) error {
	csType, err := r.prepareStack(ctx)
	if err != nil {
		return err
	}
	if err := r.createChangeSet(ctx, csType); err != nil {
		return err
	}
	empty, err := r.waitChangeSet(ctx)
	if err != nil {
		return err
	}
	if empty {
		return r.finishEmpty(ctx)
	}
	r.res.HasChanges = true
	r.logf("change set %s has %d change(s)", r.res.ChangeSetName, len(r.res.Changes))
	if err := CheckReplacements(r.res.Changes); err != nil {
		return err
	}
	if r.in.Mode == Preview {
		return nil
	}
	return r.execute(ctx)
}

// interrupted turns an error caused by the run's context ending into a
// timeout or cancellation error that says what was going on.
func (r *run) interrupted(ctx context.Context, err error) error {
	var busy *StackBusyError
	if errors.As(err, &busy) {
		return err
	}
	state := r.res.StackStatus
	if context.Cause(ctx) == errTimedOut {
		r.warnf("timed out after %s while waiting for %s (stack %s: %s)", roundDuration(r.timeout), r.phase, r.in.StackName, orNone(state))
		return &TimeoutError{Op: r.phase, After: r.timeout, State: state}
	}
	r.warnf("cancelled while waiting for %s (stack %s: %s)", r.phase, r.in.StackName, orNone(state))
	if r.executed {
		r.warnf("the stack operation continues in AWS; it was not cancelled")
	}
	return fmt.Errorf("deploy stack %s: stopped while waiting for %s: %w", r.in.StackName, r.phase, ctx.Err())
}

// cleanup deletes a change set this run made but did not execute: always
// after an interruption (it may be incomplete), otherwise unless the user
// asked to keep it. A stack stub this run created goes with it.
func (r *run) cleanup(ctx context.Context) {
	if !r.csTried || r.executed || r.res.ChangeSetDeleted {
		return
	}
	if r.in.KeepChangeSet && ctx.Err() == nil {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if err := r.deleteChangeSet(cctx); err != nil {
		r.warnf("%v", err)
		return
	}
	if r.stub {
		r.deleteStub(cctx)
	}
}

func (r *run) emit(e Event) { r.d.sink(e) }

func (r *run) logf(format string, args ...any) {
	r.emit(Event{Kind: EventLog, Message: fmt.Sprintf(format, args...)})
}

func (r *run) warnf(format string, args ...any) {
	r.emit(Event{Kind: EventWarning, Message: fmt.Sprintf(format, args...)})
}

func orNone(s string) string {
	if s == "" {
		return "no stack"
	}
	return s
}
