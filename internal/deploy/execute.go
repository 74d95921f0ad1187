package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// maxFailedEvents caps Result.FailedEvents; after the first few failures
// the rest are usually cancellations caused by them.
const maxFailedEvents = 10

// execute runs the change set, streams the stack's events until it
// settles, and reports failure with the failing resources.
func (r *run) execute(ctx context.Context) error {
	name, stack := r.changeSetRef()
	in := &cloudformation.ExecuteChangeSetInput{ChangeSetName: name, StackName: stack,
		ClientRequestToken: aws.String(r.res.ChangeSetName)}
	if r.in.DisableRollback {
		in.DisableRollback = aws.Bool(true)
	}
	r.phase = "execution of change set " + r.res.ChangeSetName
	if err := r.call(ctx, func(ctx context.Context) error {
		_, err := r.d.cfn.ExecuteChangeSet(ctx, in)
		return err
	}); err != nil {
		return fmt.Errorf("execute change set %s for stack %s: %w", r.res.ChangeSetName, r.in.StackName, err)
	}
	r.executed = true
	started := r.d.now()
	r.emit(Event{Kind: EventGroupStart, Message: "Stack events for " + r.in.StackName})
	st, events, err := r.streamUntilDone(ctx)
	r.emit(Event{Kind: EventGroupEnd})
	if err != nil {
		return err
	}
	status := string(st.StackStatus)
	took := r.d.now().Sub(started).Round(time.Second)
	if !succeeded(status) {
		r.res.FailedEvents = failedEvents(events, r.in.StackName)
		r.warnf("stack %s: %s after %s", r.in.StackName, status, took)
		return &FailedError{StackName: r.in.StackName, Status: status,
			Reason: aws.ToString(st.StackStatusReason), Events: r.res.FailedEvents}
	}
	r.logf("stack %s: %s in %s", r.in.StackName, status, took)
	return r.protect(ctx)
}

func succeeded(status string) bool {
	switch types.StackStatus(status) {
	case types.StackStatusCreateComplete, types.StackStatusUpdateComplete, types.StackStatusImportComplete:
		return true
	}
	return false
}

// streamUntilDone emits new stack events on every poll and returns the
// settled stack with every event seen. The stack status, not an event,
// decides completion, because emulators and nested failures do not always
// produce the stack's own final event.
func (r *run) streamUntilDone(ctx context.Context) (*types.Stack, []StackEvent, error) {
	cutoff := r.csCreated
	if cutoff.IsZero() {
		cutoff = r.start.Add(-time.Minute) // tolerate clock skew against AWS
	}
	s := &streamer{cfn: r.d.cfn, stackID: r.res.StackID, cutoff: cutoff, seen: map[string]bool{}}
	b := r.d.newBackoff()
	var final *types.Stack
	r.phase = "stack " + r.in.StackName + " to finish"
	err := r.pollWith(ctx, b, func(ctx context.Context) (bool, error) {
		if err := r.pump(ctx, s, b); err != nil {
			return false, err
		}
		st, err := r.describeStack(ctx, r.res.StackID)
		if err != nil || st == nil {
			return false, orMissing(err, r.in.StackName)
		}
		r.setStack(st)
		if strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			return false, nil
		}
		final = st
		return true, r.pump(ctx, s, b) // events written after the status read
	})
	return final, s.all, err
}

func orMissing(err error, stack string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("stack %s disappeared while being deployed", stack)
}

// pump emits the events that are new since the last call; new events reset
// the backoff so an active stack is followed closely.
func (r *run) pump(ctx context.Context, s *streamer, b *backoff) error {
	evs, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if s.base.IsZero() {
			s.base = ev.Timestamp
		}
		elapsed := ev.Timestamp.Sub(s.base)
		r.emit(Event{Kind: EventStack, Stack: ev, Elapsed: elapsed, Message: FormatEvent(ev, elapsed)})
	}
	if len(evs) > 0 {
		b.reset()
	}
	return nil
}

// failedEvents picks the failures worth annotating: one per resource and
// status, root causes before the cancellations they triggered. The stack's
// own event only repeats them.
func failedEvents(evs []StackEvent, stackName string) []StackEvent {
	var causes, cancelled []StackEvent
	seen := map[string]bool{}
	for _, e := range evs {
		own := e.ResourceType == "AWS::CloudFormation::Stack" && e.LogicalID == stackName
		key := e.LogicalID + "\x00" + e.Status
		if own || !strings.HasSuffix(e.Status, "_FAILED") || seen[key] {
			continue
		}
		seen[key] = true
		if strings.Contains(e.Reason, "cancelled") {
			cancelled = append(cancelled, e)
		} else {
			causes = append(causes, e)
		}
	}
	out := append(causes, cancelled...)
	if len(out) > maxFailedEvents {
		out = out[:maxFailedEvents]
	}
	return out
}

// protect turns on termination protection when asked. Change sets cannot
// set it, so it is a separate call after the stack exists.
func (r *run) protect(ctx context.Context) error {
	if !r.in.TerminationProtection || (r.stack == nil && r.res.StackID == "") {
		return nil
	}
	if r.stack != nil && aws.ToBool(r.stack.EnableTerminationProtection) {
		return nil
	}
	r.phase = "termination protection"
	_, err := r.d.cfn.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{
		StackName: aws.String(r.res.StackID), EnableTerminationProtection: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("enable termination protection on stack %s: %w", r.in.StackName, err)
	}
	r.logf("enabled termination protection on stack %s", r.in.StackName)
	return nil
}
