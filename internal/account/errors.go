package account

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// AccessDeniedError is a read the credentials may not do: it names the IAM
// action to grant.
type AccessDeniedError struct {
	Action string // e.g. dynamodb:DescribeTable
	What   string // what the read was for
	Err    error
}

func (e *AccessDeniedError) Error() string {
	return fmt.Sprintf("the credentials may not call %s (%s): grant it in the deploy role's policy (docs/deploy.md lists the minimal policies): %v",
		e.Action, e.What, e.Err)
}

func (e *AccessDeniedError) Unwrap() error { return e.Err }

// ReadError is any other failed read (throttling that outlasted the
// retries, a network failure).
type ReadError struct {
	Action string
	What   string
	Err    error
}

func (e *ReadError) Error() string { return fmt.Sprintf("%s (%s): %v", e.Action, e.What, e.Err) }
func (e *ReadError) Unwrap() error { return e.Err }

// readErr types err from the call action made for what.
func readErr(action, what string, err error) error {
	if accessDenied(err) {
		return &AccessDeniedError{Action: action, What: what, Err: err}
	}
	return &ReadError{Action: action, What: what, Err: err}
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
