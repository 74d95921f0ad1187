package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// StackBusyError reports a stack that stayed in an *_IN_PROGRESS state for the
// whole timeout.
type StackBusyError struct {
	StackName string
	Status    string
	Waited    time.Duration
}

func (e *StackBusyError) Error() string {
	return fmt.Sprintf("stack %s is still %s after waiting %s; wait for the running operation to finish (or cancel it) and run again",
		e.StackName, e.Status, roundDuration(e.Waited))
}

// StackUnrecoverableError reports a stack state that no change set can leave.
// Advice says what the user has to do by hand.
type StackUnrecoverableError struct {
	StackName string
	Status    string
	Reason    string // the stack's StackStatusReason, if any
	Advice    string
}

func (e *StackUnrecoverableError) Error() string {
	s := fmt.Sprintf("stack %s is in %s and cannot be updated", e.StackName, e.Status)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s + "; " + e.Advice
}

// RecommendActions returns the manual fix, for callers that print advice apart.
func (e *StackUnrecoverableError) RecommendActions() string { return e.Advice }

// ChangeSetFailedError reports a change set that CloudFormation could not
// create for a reason other than "no changes".
type ChangeSetFailedError struct {
	StackName     string
	ChangeSetName string
	Status        string
	Reason        string
}

func (e *ChangeSetFailedError) Error() string {
	return fmt.Sprintf("change set %s for stack %s is %s: %s", e.ChangeSetName, e.StackName, e.Status, e.Reason)
}

// RejectedReplacementError reports a change that CloudFormation would carry
// out by creating a new event source mapping next to the old one, which
// Lambda rejects because one function may map a source only once
// (validation.md R6 and R36).
type RejectedReplacementError struct {
	LogicalID string
	Property  string
}

func (e *RejectedReplacementError) Error() string {
	return fmt.Sprintf("mapping %s: changing %s forces replacement, which Lambda rejects while the old mapping exists; remove the event, deploy, then re-add it",
		e.LogicalID, e.Property)
}

// FailedError reports an executed change set whose stack ended in a
// failure or rollback state. Events are the failing resources, root causes
// first.
type FailedError struct {
	StackName string
	Status    string
	Reason    string
	Events    []StackEvent
}

func (e *FailedError) Error() string {
	s := fmt.Sprintf("deploy stack %s: finished in %s", e.StackName, e.Status)
	if len(e.Events) > 0 {
		ev := e.Events[0]
		return s + fmt.Sprintf(": %s (%s) %s: %s", ev.LogicalID, ev.ResourceType, ev.Status, ev.Reason)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// TemplateTooLargeError reports a template that cannot be sent as it is.
type TemplateTooLargeError struct {
	Size  int
	Limit int
	// NeedsBucket is true when an S3 bucket would have allowed the upload.
	NeedsBucket bool
}

func (e *TemplateTooLargeError) Error() string {
	if e.NeedsBucket {
		return fmt.Sprintf("template is %d bytes; templates over %d bytes must be deployed through an S3 bucket: give one (--s3-bucket, or the Action's s3-bucket input)", e.Size, e.Limit)
	}
	return fmt.Sprintf("template is %d bytes, over CloudFormation's limit of %d bytes for templates in S3", e.Size, e.Limit)
}

// TimeoutError reports that Input.Timeout elapsed. It unwraps to
// context.DeadlineExceeded.
type TimeoutError struct {
	Op    string // what was being waited for
	After time.Duration
	State string // last known state, for the log
}

func (e *TimeoutError) Error() string {
	s := fmt.Sprintf("timed out after %s waiting for %s", roundDuration(e.After), e.Op)
	if e.State != "" {
		s += " (last state " + e.State + ")"
	}
	return s
}

func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// awsCode returns the AWS error code of err, or "".
func awsCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// stackMissing reports the error DescribeStacks gives for an unknown stack.
// AWS has no dedicated code for it, only ValidationError with this text.
func stackMissing(err error) bool {
	return awsCode(err) == "ValidationError" && strings.Contains(err.Error(), "does not exist")
}

// changeSetMissing reports that a change set is already gone.
func changeSetMissing(err error) bool {
	code := awsCode(err)
	return code == "ChangeSetNotFound" || code == "ChangeSetNotFoundException" ||
		(code == "ValidationError" && strings.Contains(err.Error(), "does not exist"))
}

// throttleCodes are the codes AWS uses for rate limiting; the SDK retries
// them a few times, pollers tolerate longer bursts.
var throttleCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"RequestThrottledException": true, "TooManyRequestsException": true,
	"RequestLimitExceeded": true, "RequestThrottled": true, "SlowDown": true,
	"InternalFailure": true, "ServiceUnavailable": true, "InternalError": true,
}

// transient reports errors worth polling through: throttling and server
// faults that outlasted the SDK's own retries.
func transient(err error) bool {
	if throttleCodes[awsCode(err)] {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() >= 500 {
		return true
	}
	return false
}

// roundDuration drops sub-second noise from long durations only, so a
// short test timeout still reads as "40ms" rather than "0s".
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d
}
