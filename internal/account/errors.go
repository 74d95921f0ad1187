package account

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrAccessDenied is a read the credentials may not do: it names the IAM
// action to grant.
type ErrAccessDenied struct {
	Action string // e.g. dynamodb:DescribeTable
	What   string // what the read was for
	Err    error
}

func (e *ErrAccessDenied) Error() string {
	return fmt.Sprintf("the credentials may not call %s (%s): grant it in the deploy role's policy (docs/deploy.md lists the minimal policies): %v",
		e.Action, e.What, e.Err)
}

func (e *ErrAccessDenied) Unwrap() error { return e.Err }

// ErrRead is any other failed read (throttling that outlasted the
// retries, a network failure).
type ErrRead struct {
	Action string
	What   string
	Err    error
}

func (e *ErrRead) Error() string { return fmt.Sprintf("%s (%s): %v", e.Action, e.What, e.Err) }
func (e *ErrRead) Unwrap() error { return e.Err }

// readErr types err from the call action made for what.
func readErr(action, what string, err error) error {
	if accessDenied(err) {
		return &ErrAccessDenied{Action: action, What: what, Err: err}
	}
	return &ErrRead{Action: action, What: what, Err: err}
}

func accessDenied(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
		return true
	}
	return false
}

// notFound reports the services' answers for a missing resource.
func notFound(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "ResourceNotFoundException", "NoSuchEntity", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NotFound":
		return true
	}
	// CloudFormation says so in a ValidationError.
	return ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist")
}
